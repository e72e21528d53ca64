package io.orderhub.console;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.orderhub.support.Browser;
import io.orderhub.support.HubTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/** The console in a real browser (headless Debian Chromium): what an operator and a viewer can do. */
class ConsoleBrowserTest extends HubTestSupport {

    private static Browser browser;

    @BeforeAll
    static void open() throws Exception {
        browser = new Browser();
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    @Test
    void operatorFixesAPayloadTheRefusingPosRejectedAndItIsDeliveredOnce() throws Exception {
        UUID[] refused = orderRefusedByPos("ring the bell");
        browser.signIn(base(), "ops", "test-operator-pass", totp(OPS_TOTP));
        new Select(browser.await(By.id("f-stage"))).selectByValue("pos");
        browser.driver().findElement(By.id("f-apply")).click();
        By row = By.cssSelector("tr.dl-row[data-id='" + refused[1] + "']");
        browser.await(row).click();
        browser.awaitText(By.id("dl-reason"), "INVALID_PHONE_NUMBER");
        browser.awaitText(By.id("dl-payload"), "ring the bell");
        browser.await(By.id("dl-edit")).click();
        browser.await(By.id("dl-editor"));
        // the operator corrects the phone number in the editor
        browser.script("const e = document.getElementById('dl-editor');"
                + "e.value = e.value.replace('ring the bell', '+44 20 7946 0777');"
                + "e.dispatchEvent(new Event('input', {bubbles: true}));");
        browser.driver().findElement(By.id("dl-validate")).click();
        browser.awaitText(By.id("dl-editor-status"), "alid");
        assertThat(browser.driver().findElement(By.id("dl-editor-status")).getText()).doesNotContainIgnoringCase(
                "invalid");
        browser.await(By.id("dl-replay-edited")).click();
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
        browser.driver().findElement(By.id("f-apply")).click();
        browser.await(By.cssSelector("tr.dl-row[data-id='" + refused[1] + "']")).click();
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

    /**
     * Square refuses every CreateOrder for a while (a vendor-side incident answering 400): 500 orders' POS
     * deliveries become dead letters. After the incident an operator replays them all from the console.
     */
    @Test
    void bulkReplayOfFiveHundredDeadLettersAfterAnOutageDeliversEachOnce() throws Exception {
        StubMapping incident = squareSandbox().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/v2/orders")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.order.fulfillments[0].pickup_details.recipient.display_name",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo("Outage Test")))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"errors\":[{\"category\":\"INVALID_REQUEST_ERROR\",\"code\":\"BAD_REQUEST\","
                                + "\"detail\":\"Location is temporarily unable to accept orders\"}]}")));
        List<UUID> orders = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                Reply r = postOrder(brooklynPickup(), UUID.randomUUID().toString());
                assertThat(r.status()).as(r.body()).isEqualTo(202);
                orders.add(UUID.fromString(r.json().path("orderId").asText()));
            }
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(deadLettersOf(orders))
                    .isEqualTo(500));
        } finally {
            squareSandbox().removeStub(incident);
        }
        int open = jdbc.queryForObject("select count(*) from dead_letter where state = 'OPEN' and stage = 'pos' "
                + "and location_id = 'brooklyn'", Integer.class);
        browser.signIn(base(), "ops", "test-operator-pass", totp(OPS_TOTP));
        new Select(browser.await(By.id("f-stage"))).selectByValue("pos");
        browser.driver().findElement(By.id("f-location")).sendKeys("brooklyn");
        browser.driver().findElement(By.id("f-apply")).click();
        browser.awaitText(By.id("page-info"), "of " + String.format("%,d", open));
        browser.await(By.id("bulk-replay")).click();
        browser.await(By.id("bulk-replay-confirm")).click();
        browser.await(By.id("bulk-progress"));
        assertThat(browser.driver().findElement(By.id("bulk-progress")).getAttribute("max"))
                .isEqualTo(Integer.toString(open));
        browser.awaitText(By.id("bulk-status"), "Done: " + String.format("%,d", open) + " replayed, 0 failed");

        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from stage_delivery where stage = 'pos' and order_id in (" + in(orders) + ")",
                Integer.class)).isEqualTo(500));
        Map<UUID, Long> created = squareSandbox().getAllServeEvents().stream()
                .filter(e -> e.getResponse().getStatus() == 200 && e.getRequest().getUrl().startsWith("/v2/orders"))
                .map(e -> orders.stream().filter(o -> e.getRequest().getBodyAsString().contains(o.toString()))
                        .findFirst().orElse(null))
                .filter(java.util.Objects::nonNull)
                .collect(Collectors.groupingBy(o -> o, Collectors.counting()));
        assertThat(created).hasSize(500);
        assertThat(created.values()).allMatch(n -> n == 1L);
        assertThat(jdbc.queryForObject("select count(*) from dead_letter where state = 'OPEN' and order_id in ("
                + in(orders) + ")", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from audit_log where action = 'dead-letter.bulk-replay'",
                Integer.class)).isGreaterThanOrEqualTo(1);
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
