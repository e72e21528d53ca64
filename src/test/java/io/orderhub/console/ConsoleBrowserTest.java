package io.orderhub.console;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.orderhub.support.BrowserTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/** The console in a real browser (headless Debian Chromium): what an operator and a viewer can do. */
class ConsoleBrowserTest extends BrowserTestSupport {

    @Test
    void operatorFixesAPayloadTheRefusingPosRejectedAndItIsDeliveredOnce() throws Exception {
        UUID[] refused = orderRefusedByPos("ring the bell");
        signInOps();
        new Select(browser.await(By.id("f-stage"))).selectByValue("pos");
        browser.click(By.id("f-apply"));
        By row = By.cssSelector("tr.dl-row[data-id='" + refused[1] + "']");
        browser.click(row);
        browser.awaitText(By.id("dl-reason"), "INVALID_PHONE_NUMBER");
        browser.awaitText(By.id("dl-payload"), "ring the bell");
        browser.click(By.id("dl-edit"));
        browser.await(By.id("dl-editor"));
        // the operator corrects the phone number in the editor
        browser.script("const e = document.getElementById('dl-editor');"
                + "e.value = e.value.replace('ring the bell', '+44 20 7946 0777');"
                + "e.dispatchEvent(new Event('input', {bubbles: true}));");
        browser.click(By.id("dl-validate"));
        browser.awaitText(By.id("dl-editor-status"), "alid");
        assertThat(browser.driver().findElement(By.id("dl-editor-status")).getText()).doesNotContainIgnoringCase(
                "invalid");
        browser.click(By.id("dl-replay-edited"));
        browser.awaitText(By.id("message"), "Replayed");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from stage_delivery where stage = 'pos' and order_id = ?", Integer.class,
                refused[0])).isEqualTo(1));
        assertThat(squareAnswers(refused[0], 200)).as("Square created the order once").isEqualTo(1);
        assertThat(squareAnswers(refused[0], 400)).as("the refused attempt").isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from audit_log where actor = 'ops' and target = ?",
                Integer.class, "dead-letter:" + refused[1])).isEqualTo(1);
    }

    @Test
    void aViewerSeesDeadLettersButCannotReplayThem() throws Exception {
        UUID[] refused = orderRefusedByPos("back door please");
        browser.signIn(base(), "viewer", "test-viewer-pass", null);
        new Select(browser.await(By.id("f-stage"))).selectByValue("pos");
        browser.click(By.id("f-apply"));
        browser.click(By.cssSelector("tr.dl-row[data-id='" + refused[1] + "']"));
        browser.awaitText(By.id("dl-payload"), "back door please");
        assertThat(browser.present(By.id("dl-replay"))).isFalse();
        assertThat(browser.present(By.id("dl-edit"))).isFalse();
        assertThat(browser.present(By.id("dl-discard"))).isFalse();
        assertThat(browser.present(By.id("bulk-replay"))).isFalse();
        assertThat(browser.present(By.id("hawtio-link"))).isFalse();
        // the server refuses the viewer whatever the page shows: the page's own session, with its CSRF token
        long answered = (Long) browser.driver().executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "const token = document.cookie.split('; ').find(c => c.startsWith('XSRF-TOKEN=')).split('=')[1];"
                + "fetch('/api/v1/admin/dead-letters/" + refused[1] + "/replay', {method: 'POST', "
                + "credentials: 'same-origin', headers: {'X-XSRF-TOKEN': token}}).then(r => done(r.status));");
        assertThat(answered).isEqualTo(403);
        assertThat(asViewer("POST", "/api/v1/admin/dead-letters/" + refused[1] + "/replay", null).status())
                .isEqualTo(403);
        assertThat(jdbc.queryForObject("select state from dead_letter where id = ?", String.class, refused[1]))
                .isEqualTo("OPEN");
    }

    private static String brooklynPickup() {
        return """
                {"channel": "web", "locationId": "brooklyn", "externalId": "%s", "type": "pickup", "currency": "USD",
                 "lines": [{"itemId": "fries", "quantity": 1, "unitPrice": 499}],
                 "customer": {"name": "Outage Test", "phone": "+1 718 555 0100"}}
                """.formatted(UUID.randomUUID());
    }

    private int deadLettersOf(List<UUID> orders) {
        return jdbc.queryForObject("select count(*) from dead_letter where stage = 'pos' and order_id in ("
                + in(orders) + ")", Integer.class);
    }

    private static String in(List<UUID> ids) {
        return ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
    }

    private long squareAnswers(UUID order, int status) {
        return squareSandbox().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().startsWith("/v2/orders"))
                .filter(e -> e.getRequest().getBodyAsString().contains(order.toString()))
                .filter(e -> e.getResponse().getStatus() == status)
                .count();
    }
}
