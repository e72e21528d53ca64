package io.orderhub.kitchen;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.orderhub.support.HubTestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * External kitchen displays hear of ticket events as signed webhooks: KDS_DISPLAY serves brooklyn's pass screen
 * (/kds/pass, every station) and its grill screen (/kds/grill, station grill only), see HubTestSupport.
 */
class KdsWebhookTest extends HubTestSupport {

    @Test
    void displaysGetEachTicketEventOnceSignedAndFilteredByStation() throws Exception {
        UUID order = doorDashOrder(UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from kitchen_ticket where "
                + "order_id = ?", order) == 2);
        String grill = ticket(order, "grill");
        String other = jdbc.queryForObject("select id from kitchen_ticket where order_id = ? and station <> 'grill'",
                String.class, order);
        String otherStation = jdbc.queryForObject("select station from kitchen_ticket where id = ?", String.class,
                UUID.fromString(other));

        // a signed kds.ticket.created for each station's ticket, once, on the pass screen
        await().atMost(Duration.ofSeconds(30)).until(() -> events("/kds/pass", grill, "kds.ticket.created").size() == 1
                && events("/kds/pass", other, "kds.ticket.created").size() == 1);
        JsonNode created = json.readTree(events("/kds/pass", grill, "kds.ticket.created").get(0).getRequest()
                .getBodyAsString());
        assertThat(created.path("data").path("orderId").asText()).isEqualTo(order.toString());
        assertThat(created.path("data").path("location").asText()).isEqualTo("brooklyn");
        assertThat(created.path("data").path("station").asText()).isEqualTo("grill");
        assertThat(created.path("data").path("state").asText()).isEqualTo("OPEN");
        assertThat(created.path("data").path("items").get(0).path("name").asText()).isNotBlank();
        assertThat(created.path("data").path("items").get(0).path("bumped").asBoolean()).isFalse();
        assertThat(created.path("data").path("at").asText()).isNotBlank();

        // the grill screen gets the grill ticket only
        await().atMost(Duration.ofSeconds(30)).until(() -> events("/kds/grill", grill, "kds.ticket.created").size()
                == 1);

        // the other station's display answers 503 twice, then 200 to its ticket's "done"
        KDS_DISPLAY.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/kds/pass")).atPriority(1).inScenario("flaky-" + other)
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .withRequestBody(matchingJsonPath("$.data.ticketId", com.github.tomakehurst.wiremock.client.WireMock
                        .equalTo(other)))
                .willReturn(aResponse().withStatus(503)).willSetStateTo("once"));
        KDS_DISPLAY.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/kds/pass")).atPriority(1).inScenario("flaky-" + other)
                .whenScenarioStateIs("once")
                .withRequestBody(matchingJsonPath("$.data.ticketId", com.github.tomakehurst.wiremock.client.WireMock
                        .equalTo(other)))
                .willReturn(aResponse().withStatus(503)).willSetStateTo("twice"));
        KDS_DISPLAY.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/kds/pass")).atPriority(1).inScenario("flaky-" + other)
                .whenScenarioStateIs("twice")
                .withRequestBody(matchingJsonPath("$.data.ticketId", com.github.tomakehurst.wiremock.client.WireMock
                        .equalTo(other)))
                .willReturn(aResponse().withStatus(200)));

        // bumps through the KDS API
        assertThat(console("POST", "/api/v1/kds/tickets/" + grill + "/items/0/bump", null, "kitchen",
                "test-kitchen-pass", null).status()).isEqualTo(200);
        assertThat(console("POST", "/api/v1/kds/tickets/" + grill + "/bump", null, "kitchen", "test-kitchen-pass",
                null).status()).isIn(200, 409);
        assertThat(console("POST", "/api/v1/kds/tickets/" + other + "/bump", null, "kitchen", "test-kitchen-pass",
                null).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> events("/kds/pass", grill, "kds.item.bumped").size() == 1
                && events("/kds/pass", grill, "kds.ticket.done").size() == 1
                && delivered("/kds/pass", other, "kds.ticket.done").size() == 1);
        // nothing doubles later (redeliveries, the outbox relay)
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                events("/kds/pass", grill, "kds.item.bumped").size() == 1
                        && events("/kds/pass", grill, "kds.ticket.done").size() == 1
                        && events("/kds/pass", grill, "kds.ticket.created").size() == 1
                        && delivered("/kds/pass", other, "kds.ticket.done").size() == 1);
        JsonNode bumped = json.readTree(events("/kds/pass", grill, "kds.item.bumped").get(0).getRequest()
                .getBodyAsString());
        assertThat(bumped.path("data").path("item").asInt()).isZero();
        assertThat(bumped.path("data").path("items").get(0).path("bumped").asBoolean()).isTrue();

        // the flaky display: three attempts, one webhook-id, delivered once
        List<ServeEvent> attempts = events("/kds/pass", other, "kds.ticket.done");
        assertThat(attempts).hasSize(3);
        assertThat(attempts.stream().map(e -> e.getResponse().getStatus()).sorted().toList())
                .containsExactly(200, 503, 503);
        assertThat(attempts.stream().map(e -> e.getRequest().getHeader("webhook-id")).distinct()).hasSize(1);

        // every request carries a Standard Webhooks signature the display can check with its secret
        for (ServeEvent e : KDS_DISPLAY.getAllServeEvents()) {
            if (e.getRequest().getBodyAsString().contains(order.toString())) {
                assertThat(verifies(e)).as(e.getRequest().getBodyAsString()).isTrue();
            }
        }

        // both displays serve brooklyn only: no other location's ticket reached them
        assertThat(KDS_DISPLAY.getAllServeEvents().stream().filter(e -> e.getRequest().getBodyAsString()
                .contains("\"location\"") && !e.getRequest().getBodyAsString().contains("\"location\":\"brooklyn\"")))
                .isEmpty();
        // the grill screen never heard of the other station
        assertThat(KDS_DISPLAY.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals("/kds/grill")
                && e.getRequest().getBodyAsString().contains(other))).isEmpty();
        assertThat(KDS_DISPLAY.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals("/kds/grill")
                && e.getRequest().getBodyAsString().contains("\"station\":\"" + otherStation + "\""))).isEmpty();
    }

    @Test
    void aSohoOrderReachesNoBrooklynDisplay() throws Exception {
        Reply r = postOrder(sohoOrder(), UUID.randomUUID().toString());
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        UUID order = UUID.fromString(r.json().path("orderId").asText());
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from kitchen_ticket where "
                + "order_id = ?", order) > 0);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> KDS_DISPLAY.getAllServeEvents()
                .stream().noneMatch(e -> e.getRequest().getBodyAsString().contains(order.toString())));
    }

    @Test
    void aDisplayThatKeepsFailingEndsInTheDeadLettersWithItsAnswer() throws Exception {
        String vendorId = UUID.randomUUID().toString();
        UUID order = doorDashOrder(vendorId);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from kitchen_ticket where "
                + "order_id = ?", order) == 2);
        String grill = ticket(order, "grill");
        KDS_DISPLAY.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/kds/grill")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.data.ticketId", com.github.tomakehurst.wiremock.client.WireMock
                        .equalTo(grill)))
                .withRequestBody(matchingJsonPath("$.type", com.github.tomakehurst.wiremock.client.WireMock
                        .equalTo("kds.ticket.voided")))
                .willReturn(aResponse().withStatus(500).withBody("grill screen broken")));

        String cancel = Files.readString(Path.of("adapters/doordash/samples/order-cancelled.input.json"))
                .replace("3f2b9c1e-6d7a-4e58-9b0c-1a2d3e4f5a61", vendorId);
        assertThat(post("/webhooks/doordash", cancel, signedWebhook(adapterRegistry.find("doordash").orElseThrow(),
                cancel)).status()).isBetween(200, 299);

        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from dead_letter where "
                + "order_id = ? and stage = 'kds-webhooks'", order) == 1);
        String reason = jdbc.queryForObject("select reason from dead_letter where order_id = ? and stage = "
                + "'kds-webhooks'", String.class, order);
        assertThat(reason).contains("brooklyn-grill answered 500");
        // the configured deliveries (4 in the tests, each with the policy's quick in-process retries), then the dead
        // letter; every attempt with the same webhook-id; the pass screen got the event once
        assertThat(count("select attempts from dead_letter where order_id = ? and stage = 'kds-webhooks'", order))
                .isEqualTo(4);
        List<ServeEvent> attempts = events("/kds/grill", grill, "kds.ticket.voided");
        assertThat(attempts).hasSizeGreaterThanOrEqualTo(4);
        assertThat(attempts.stream().map(e -> e.getRequest().getHeader("webhook-id")).distinct()).hasSize(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> delivered("/kds/pass", grill, "kds.ticket.voided").size()
                == 1);
    }

    private String ticket(UUID order, String station) {
        return jdbc.queryForObject("select id from kitchen_ticket where order_id = ? and station = ?", String.class,
                order, station);
    }

    private List<ServeEvent> events(String path, String ticketId, String type) {
        return KDS_DISPLAY.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals(path))
                .filter(e -> {
                    try {
                        JsonNode body = json.readTree(e.getRequest().getBodyAsString());
                        return type.equals(body.path("type").asText())
                                && ticketId.equals(body.path("data").path("ticketId").asText());
                    } catch (Exception notJson) {
                        return false;
                    }
                }).toList();
    }

    private List<ServeEvent> delivered(String path, String ticketId, String type) {
        return events(path, ticketId, type).stream().filter(e -> e.getResponse().getStatus() / 100 == 2).toList();
    }

    /** Standard Webhooks verification as a receiver would do it (independent of the hub's signer). */
    private static boolean verifies(ServeEvent e) throws Exception {
        String id = e.getRequest().getHeader("webhook-id");
        String ts = e.getRequest().getHeader("webhook-timestamp");
        String signature = e.getRequest().getHeader("webhook-signature");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(KDS_DISPLAY_SECRET.substring("whsec_".length())),
                "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal((id + "." + ts + "."
                + e.getRequest().getBodyAsString()).getBytes(StandardCharsets.UTF_8)));
        return id != null && id.startsWith("msg_") && java.security.MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8));
    }
}
