package io.orderhub.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.orderhub.order.OrderEvent;
import io.orderhub.order.OrderStore;
import io.orderhub.support.HubTestSupport;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The customer hears of their order: a signed Standard Webhooks call to the restaurant's customer app and an SMS
 * through the Twilio sandbox, for each step, once; a failed webhook is retried under the same webhook-id; a cancel is
 * told with its reason; handling the same event again tells nobody twice.
 */
class CustomerNotificationsTest extends HubTestSupport {

    @Autowired
    CustomerNotifications notifications;
    @Autowired
    OrderStore orders;

    @Test
    void eachStepIsToldOnceByWebhookAndSmsAndARetriedWebhookKeepsItsId() throws Exception {
        UUID order = pickup("Maria Lopez", "+1 (718) 555-0123");
        await().atMost(Duration.ofSeconds(30)).until(() -> webhooks(order, "order.confirmed").size() == 1
                && sms(order, "+17185550123", "has your order").size() == 1);
        ServeEvent confirmed = webhooks(order, "order.confirmed").get(0);
        assertSigned(confirmed);
        JsonNode body = json.readTree(confirmed.getRequest().getBodyAsString());
        assertThat(body.path("data").path("message").asText()).startsWith("Hi Maria, Burger Co Brooklyn has your "
                + "order #");
        assertThat(body.path("data").path("language").asText()).isEqualTo("en");

        // the customer app is down for the "preparing" message once: retried with the same webhook-id
        CUSTOMER_APP.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/orderhub/events").atPriority(1).inScenario("down-" + order)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("up")
                .withRequestBody(matchingJsonPath("$.data.orderId", com.github.tomakehurst.wiremock.client.WireMock
                        .equalTo(order.toString())))
                .willReturn(aResponse().withStatus(503)));
        assertThat(move(order, "in_preparation")).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> webhooks(order, "order.preparing").stream()
                .filter(e -> e.getResponse().getStatus() == 204).count() == 1);
        List<ServeEvent> preparing = webhooks(order, "order.preparing");
        assertThat(preparing).hasSizeGreaterThanOrEqualTo(2);
        assertThat(preparing.stream().map(e -> e.getRequest().getHeader("webhook-id")).distinct()).hasSize(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> sms(order, "+17185550123", "is making your order").size()
                == 1);

        assertThat(move(order, "ready")).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> webhooks(order, "order.ready").size() == 1
                && sms(order, "+17185550123", "ready for pickup").size() == 1);

        // the same event handled again (a redelivery, a replay): nobody is told twice
        notifications.handle(OrderEvent.statusChanged(orders.find(order).orElseThrow(), "test", null));
        assertThat(webhooks(order, "order.ready")).hasSize(1);
        assertThat(sms(order, "+17185550123", "ready for pickup")).hasSize(1);
        assertThat(count("select count(*) from customer_notification where order_id = ? and state = 'SENT'", order))
                .isEqualTo(6);
    }

    @Test
    void aCancelAfterPreparationStartedIsToldOnceWithItsReason() throws Exception {
        UUID order = pickup("Sam", "+1 718 555 0155");
        assertThat(move(order, "in_preparation")).isEqualTo(200);
        assertThat(post("/api/v1/orders/" + order + "/status", "{\"status\": \"cancelled\", \"reason\": \"kitchen "
                + "closed early\"}", Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json"))
                .status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> webhooks(order, "order.cancelled").size() == 1
                && sms(order, "+17185550155", "was cancelled").size() == 1);
        assertThat(json.readTree(webhooks(order, "order.cancelled").get(0).getRequest().getBodyAsString())
                .path("data").path("message").asText())
                .isEqualTo("Sorry Sam, your order #" + number(order) + " at Burger Co Brooklyn was cancelled - kitchen "
                        + "closed early.");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                webhooks(order, "order.cancelled").size() == 1);
    }

    @Test
    void aDeliveryOrderIsToldOutForDeliveryOnceAndNeverReadyForPickup() throws Exception {
        Reply r = postOrder("""
                {"channel": "app", "locationId": "brooklyn", "type": "delivery", "currency": "USD",
                 "lines": [{"itemId": "fries", "quantity": 1, "unitPrice": 499}],
                 "customer": {"name": "Dana", "phone": "+1 718 555 0166"},
                 "fulfilment": {"address": {"line1": "1 Main St", "city": "Brooklyn", "country": "US"}}}
                """, UUID.randomUUID().toString());
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        UUID order = UUID.fromString(r.json().path("orderId").asText());
        for (String status : List.of("in_preparation", "ready", "dispatched")) {
            assertThat(move(order, status)).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> webhooks(order, "order.out_for_delivery").size() == 1
                && sms(order, "+17185550166", "is on its way").size() == 1);
        assertThat(json.readTree(webhooks(order, "order.out_for_delivery").get(0).getRequest().getBodyAsString())
                .path("data").path("message").asText())
                .isEqualTo("Your order #" + number(order) + " from Burger Co Brooklyn is on its way.");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                webhooks(order, "order.out_for_delivery").size() == 1 && webhooks(order, "order.ready").isEmpty());
    }

    private UUID pickup(String name, String phone) throws Exception {
        Reply r = postOrder("""
                {"channel": "web", "locationId": "brooklyn", "type": "pickup", "currency": "USD",
                 "lines": [{"itemId": "soda", "quantity": 1, "unitPrice": 299}],
                 "customer": {"name": "%s", "phone": "%s"}}
                """.formatted(name, phone), UUID.randomUUID().toString());
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return UUID.fromString(r.json().path("orderId").asText());
    }

    private int move(UUID order, String status) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from orders where id = ?", order)
                == 1);
        return post("/api/v1/orders/" + order + "/status", "{\"status\": \"" + status + "\"}",
                Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json")).status();
    }

    private String number(UUID order) {
        return order.toString().substring(0, 6).toUpperCase();
    }

    private List<ServeEvent> webhooks(UUID order, String type) {
        return CUSTOMER_APP.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getBodyAsString().contains(order.toString()))
                .filter(e -> e.getRequest().getBodyAsString().contains("\"type\":\"" + type + "\""))
                .toList();
    }

    private List<ServeEvent> sms(UUID order, String to, String text) {
        return adapterRegistry.sandbox("twilio").orElseThrow().getAllServeEvents().stream()
                .filter(e -> e.getResponse().getStatus() == 201)
                .map(e -> Map.entry(e, URLDecoder.decode(e.getRequest().getBodyAsString(), StandardCharsets.UTF_8)))
                .filter(e -> e.getValue().contains("To=" + to) && e.getValue().contains(text)
                        && e.getValue().contains(number(order)))
                .map(Map.Entry::getKey).toList();
    }

    private static void assertSigned(ServeEvent e) throws Exception {
        String id = e.getRequest().getHeader("webhook-id");
        String ts = e.getRequest().getHeader("webhook-timestamp");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(CUSTOMER_APP_SECRET.substring(6)), "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal((id + "." + ts + "."
                + e.getRequest().getBodyAsString()).getBytes(StandardCharsets.UTF_8)));
        assertThat(id).startsWith("msg_");
        assertThat(e.getRequest().getHeader("webhook-signature")).isEqualTo(expected);
    }
}
