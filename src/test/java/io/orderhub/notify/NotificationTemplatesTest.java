package io.orderhub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which template a location's customers get: the location's own override, else its language's (a regional language
 * such as en-GB falls back to en), else the default language's; a kind no template covers is not sent.
 */
class NotificationTemplatesTest {

    private static final NotificationProperties CONFIG = new NotificationProperties(List.of(), Map.of(
            "madrid", new NotificationProperties.LocationSettings("es", null),
            "soho", new NotificationProperties.LocationSettings("en-GB", Map.of("ready", "Collect #{number} at the "
                    + "side door, {name}.")),
            "lisbon", new NotificationProperties.LocationSettings("pt", null)),
            Map.of("en", Map.of("ready", "Your order #{number} is ready.", "confirmed", "Thanks, {name}."),
                    "es", Map.of("ready", "Tu pedido #{number} está listo.")),
            "en");

    @Test
    void aSpanishLocationGetsSpanishAndFallsBackToTheDefaultLanguageForWhatSpanishLacks() {
        assertThat(CONFIG.language("madrid")).isEqualTo("es");
        assertThat(CONFIG.template("madrid", "ready")).isEqualTo("Tu pedido #{number} está listo.");
        assertThat(CONFIG.template("madrid", "confirmed")).isEqualTo("Thanks, {name}.");
    }

    @Test
    void aLocationsOwnTemplateWinsAndARegionalLanguageFallsBackToItsLanguage() {
        assertThat(CONFIG.template("soho", "ready")).isEqualTo("Collect #{number} at the side door, {name}.");
        assertThat(CONFIG.template("soho", "confirmed")).isEqualTo("Thanks, {name}.");
    }

    @Test
    void aLanguageWithoutTemplatesAndAnUnknownLocationUseTheDefaultLanguageAndAnUncoveredKindIsNotSent() {
        assertThat(CONFIG.template("lisbon", "ready")).isEqualTo("Your order #{number} is ready.");
        assertThat(CONFIG.language("nowhere")).isEqualTo("en");
        assertThat(CONFIG.template("nowhere", "ready")).isEqualTo("Your order #{number} is ready.");
        assertThat(CONFIG.template("madrid", "refunded")).isNull();
    }
}
