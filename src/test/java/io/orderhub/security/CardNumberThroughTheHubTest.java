package io.orderhub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderhub.support.HubTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Guests type card numbers into free text. This sends some through the running hub on purpose, an own-channel order
 * and a DoorDash webhook with a card number in a line note (plain, spaced, dashed), and checks that what the hub
 * answers is masked. CardNumberScanIT, after the whole suite, then finds none of them in the database files, the
 * broker journal or the logs: the proof that they were masked before anything was stored or logged.
 */
class CardNumberThroughTheHubTest extends HubTestSupport {

    /** Visa, Mastercard and Amex test numbers, each with its Luhn check digit appended at run time. */
    private static final String VISA = CardNumberScanTest.withCheckDigit("400000000000000");
    private static final String MASTERCARD = CardNumberScanTest.withCheckDigit("555555555555444");

    @Test
    void ownChannelOrderWithACardNumberInItsNotesIsStoredAndAnsweredMasked() throws Exception {
        String spaced = MASTERCARD.replaceAll("(\\d{4})(?=\\d)", "$1 ");
        String body = sohoOrder().replace("\"no onions\"", "\"no onions, pay with " + VISA + " or " + spaced + "\"");
        Reply r = postOrder(body, UUID.randomUUID().toString());
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        String id = r.json().path("orderId").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> "accepted".equals(get("/api/v1/orders/" + id, KEY).json()
                .path("state").asText()));
        String answer = get("/api/v1/orders/" + id, KEY).body();
        assertThat(answer).contains("pay with 400000******" + VISA.substring(12))
                .doesNotContain(VISA).doesNotContain(MASTERCARD).doesNotContain(spaced);
        assertThat(jdbc.queryForObject("select payload from intake where id = ?", String.class, UUID.fromString(id)))
                .doesNotContain(VISA).doesNotContain(spaced);
    }

    @Test
    void vendorWebhookWithACardNumberInALineNoteIsStoredMasked() throws Exception {
        String dashed = VISA.replaceAll("(\\d{4})(?=\\d)", "$1-");
        String vendorId = UUID.randomUUID().toString();
        String body = Files.readString(Path.of("adapters/doordash/samples/delivery-asap-tip.input.json"))
                .replace("3f2b9c1e-6d7a-4e58-9b0c-1a2d3e4f5a61", vendorId)
                .replace("Keine Zwiebeln", "card " + dashed + " Keine Zwiebeln");
        assertThat(body).contains(dashed);
        Reply r = post("/webhooks/doordash", body, signedWebhook(adapterRegistry.find("doordash").orElseThrow(), body));
        assertThat(r.status()).isBetween(200, 299);
        String key = "doordash:order:" + vendorId;
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from orders where business_key = ?",
                key) == 1);
        assertThat(count("select count(*) from intake where source = 'doordash' and payload like ?",
                "%card 400000******" + VISA.substring(12) + "%")).isEqualTo(1);
        assertThat(count("select count(*) from intake where payload like ?", "%" + dashed + "%")).isZero();
    }
}
