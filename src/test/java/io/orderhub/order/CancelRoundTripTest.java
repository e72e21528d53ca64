package io.orderhub.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.orderhub.support.HubTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A channel cancel goes round every system once: DoorDash cancels an order the kitchen has started; the hub cancels
 * it through the state machine, Square's order is cancelled with UpdateOrder (its current version), the KDS tickets
 * leave the screens, the customer is told once, and DoorDash is not told about its own cancel. The same for the
 * other POS shapes: Toast voids its order, Clover deletes the order the hub created in it (once; a 404 is done, any
 * other refusal a dead letter).
 */
class CancelRoundTripTest extends HubTestSupport {

    @Test
    void aDoorDashCancelAfterPreparationStartedVoidsThePosOrderClearsTheKdsAndTellsTheCustomerOnce()
            throws Exception {
        String vendorId = UUID.randomUUID().toString();
        UUID order = doorDashOrder(vendorId);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from vendor_order_ref where "
                + "adapter = 'square' and order_id = ?", order) == 1);
        String squareId = jdbc.queryForObject("select vendor_order_id from vendor_order_ref where adapter = 'square' "
                + "and order_id = ?", String.class, order);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from kitchen_ticket where order_id = ?",
                order) == 2);

        // the kitchen starts it: Square hears RESERVED
        String grill = jdbc.queryForObject("select id from kitchen_ticket where order_id = ? and station = 'grill'",
                String.class, order);
        assertThat(console("POST", "/api/v1/kds/tickets/" + grill + "/items/0/bump", null, "kitchen",
                "test-kitchen-pass", null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> updates(squareId, "RESERVED").size() == 1);

        String cancel = Files.readString(Path.of("adapters/doordash/samples/order-cancelled.input.json"))
                .replace("3f2b9c1e-6d7a-4e58-9b0c-1a2d3e4f5a61", vendorId);
        Reply r = post("/webhooks/doordash", cancel, signedWebhook(adapterRegistry.find("doordash").orElseThrow(),
                cancel));
        assertThat(r.status()).as(r.body()).isBetween(200, 299);

        await().atMost(Duration.ofSeconds(30)).until(() -> "cancelled".equals(jdbc.queryForObject(
                "select status from orders where id = ?", String.class, order)));
        await().atMost(Duration.ofSeconds(30)).until(() -> updates(squareId, "CANCELED").size() == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from kitchen_ticket where "
                + "order_id = ? and state in ('OPEN', 'HELD')", order) == 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from customer_notification where "
                + "order_id = ? and kind = 'cancelled' and state = 'SENT'", order) == 2);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                updates(squareId, "CANCELED").size() == 1);
        assertThat(json.readTree(updates(squareId, "CANCELED").get(0).getRequest().getBodyAsString())
                .path("order").path("state").asText()).isEqualTo("CANCELED");
        assertThat(adapterRegistry.sandbox("doordash").orElseThrow().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().contains("/orders/" + vendorId + "/cancellation")).count())
                .as("DoorDash is not told of its own cancel").isZero();
        assertThat(jdbc.queryForList("select actor from order_timeline where order_id = ? and kind = 'status'",
                String.class, order)).contains("kds:grill", "vendor:doordash");
    }

    @Test
    void aCancelledChelseaOrderIsVoidedInToastOnce() throws Exception {
        Reply r = postOrder("""
                {"channel": "web", "locationId": "chelsea", "type": "pickup", "currency": "USD",
                 "lines": [{"itemId": "fries", "quantity": 2, "unitPrice": 499}],
                 "customer": {"name": "Toast Tester", "phone": "+1 212 555 0101"}}
                """, UUID.randomUUID().toString());
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        UUID order = UUID.fromString(r.json().path("orderId").asText());
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from vendor_order_ref where "
                + "adapter = 'toast' and order_id = ?", order) == 1);
        String guid = jdbc.queryForObject("select vendor_order_id from vendor_order_ref where adapter = 'toast' and "
                + "order_id = ?", String.class, order);
        assertThat(post("/api/v1/orders/" + order + "/status", "{\"status\": \"cancelled\", \"reason\": \"guest "
                + "left\"}", java.util.Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json"))
                .status()).isEqualTo(200);
        var toast = adapterRegistry.sandbox("toast").orElseThrow();
        String voidPath = "/orders/v2/orders/" + guid + "/void";
        await().atMost(Duration.ofSeconds(30)).until(() -> toast.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals(voidPath) && e.getResponse().getStatus() == 200).count()
                == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> toast.getAllServeEvents()
                .stream().filter(e -> e.getRequest().getUrl().equals(voidPath)).count() == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from kitchen_ticket where "
                + "order_id = ? and state = 'VOIDED'", order) == 1);
    }

    /**
     * Queens runs Clover: an own-channel order goes in with one atomic order; the kitchen starts it (a first item
     * bumped; Clover hears nothing); the guest's channel cancels it: the Clover order the hub created is deleted
     * exactly once, the KDS tickets are voided, and nothing else reaches Clover.
     */
    @Test
    void aCancelledQueensOrderIsDeletedInCloverOnceAndNothingElseIsSent() throws Exception {
        UUID order = queensOrder();
        String cloverId = cloverOrderId(order);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from kitchen_ticket where "
                + "order_id = ?", order) == 2);
        String fryer = jdbc.queryForObject("select id from kitchen_ticket where order_id = ? and station = 'fryer'",
                String.class, order);
        assertThat(console("POST", "/api/v1/kds/tickets/" + fryer + "/items/0/bump", null, "kitchen",
                "test-kitchen-pass", null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> stagesDelivered(order, "order.status_changed")
                .contains("pos"));

        cancel(order, "guest cancelled");
        String deletePath = CLOVER_ORDERS + cloverId;
        var clover = adapterRegistry.sandbox("clover").orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> deletes(deletePath, 200).size() == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                deletes(deletePath, null).size() == 1);
        ServeEvent delete = deletes(deletePath, 200).get(0);
        assertThat(delete.getRequest().getBodyAsString()).as("Clover's delete has no body").isEmpty();
        assertThat(delete.getRequest().getHeader("Authorization")).startsWith("Bearer ");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from kitchen_ticket where "
                + "order_id = ? and state in ('OPEN', 'HELD')", order) == 0);
        assertThat(jdbc.queryForList("select station || ' ' || state from kitchen_ticket where order_id = ? "
                + "order by station", String.class, order))
                .as("the started fryer ticket and the bar ticket are voided").containsExactly("bar VOIDED",
                        "fryer VOIDED");
        assertThat(clover.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> r.getUrl().contains(cloverId) || r.getBodyAsString().contains("OrderHub order " + order))
                .map(r -> r.getMethod().getName() + " " + r.getUrl()).sorted().toList())
                .as("Clover got the create and the delete of this order, nothing else")
                .containsExactly("DELETE " + deletePath, "POST " + CLOVER_ATOMIC);
        assertThat(count("select count(*) from dead_letter where order_id = ?", order)).isZero();
    }

    /** Clover no longer has the order (staff deleted it at the register first): the 404 means done. */
    @Test
    void aCloverOrderAlreadyGoneIsDoneNotADeadLetter() throws Exception {
        UUID order = queensOrder();
        String deletePath = CLOVER_ORDERS + cloverOrderId(order);
        cloverAnswersDelete(deletePath, 404, "Order not found");

        cancel(order, "out of buns");
        await().atMost(Duration.ofSeconds(30)).until(() -> stagesDelivered(order, "order.status_changed")
                .contains("pos"));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                deletes(deletePath, null).size() == 1);
        assertThat(deletes(deletePath, 404)).hasSize(1);
        assertThat(count("select count(*) from dead_letter where order_id = ?", order)).isZero();
        assertThat(jdbc.queryForList("select detail from order_timeline where order_id = ? and kind = 'vendor-call' "
                + "and stage = 'pos'", String.class, order)).anyMatch(d -> d.contains("DELETE " + deletePath)
                && d.contains("answered 404"));
    }

    /** Clover refuses the delete (a 4xx other than 404): the pos stage's dead letter, with Clover's answer. */
    @Test
    void aDeleteCloverRefusesIsADeadLetterWithItsAnswer() throws Exception {
        UUID order = queensOrder();
        String deletePath = CLOVER_ORDERS + cloverOrderId(order);
        cloverAnswersDelete(deletePath, 400, "Order has payments");

        cancel(order, "guest cancelled");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from dead_letter where order_id = ? "
                + "and stage = 'pos' and event_type = 'order.status_changed'", order) == 1);
        String reason = jdbc.queryForObject("select reason from dead_letter where order_id = ? and stage = 'pos'",
                String.class, order);
        assertThat(reason).contains("DELETE " + deletePath).contains("answered 400").contains("Order has payments");
        assertThat(deletes(deletePath, null)).as("a refusal is not retried").hasSize(1);
    }

    /**
     * A walk-in rung up at the Clover register (a hub order of source clover) cancelled in the hub: Clover's own
     * order is never deleted, and Clover gets nothing but the webhook's fetch.
     */
    @Test
    void aCancelledCloverWalkInIsNeverDeletedInClover() throws Exception {
        String cloverId = "W" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
        var clover = adapterRegistry.sandbox("clover").orElseThrow();
        clover.stubFor(WireMock.get(WireMock.urlPathEqualTo(CLOVER_ORDERS + cloverId)).atPriority(1)
                .willReturn(WireMock.aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(Files.readString(Path.of("adapters/clover/wiremock/__files/order-9XK2M7QW3T1AB.json"))
                                .replace("9XK2M7QW3T1AB", cloverId))));
        String webhook = Files.readString(Path.of("adapters/clover/samples/walk-in-dine-in-paid.input.json"))
                .replace("9XK2M7QW3T1AB", cloverId);
        Reply r = post("/webhooks/clover", webhook, signedWebhook(adapterRegistry.find("clover").orElseThrow(),
                webhook));
        assertThat(r.status()).as(r.body()).isBetween(200, 299);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from orders where business_key = ?",
                "clover:order:" + cloverId) == 1);
        UUID order = jdbc.queryForObject("select id from orders where business_key = ?", UUID.class,
                "clover:order:" + cloverId);

        cancel(order, "rung up twice");
        await().atMost(Duration.ofSeconds(30)).until(() -> stagesDelivered(order, "order.status_changed")
                .contains("pos"));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> clover.getAllServeEvents()
                .stream().filter(e -> e.getRequest().getUrl().contains(cloverId)).count() == 1);
        assertThat(clover.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(q -> q.getUrl().contains(cloverId)).map(q -> q.getMethod().getName()).toList())
                .as("the webhook's fetch only: no delete of a walk-in").containsExactly("GET");
        assertThat(count("select count(*) from vendor_order_ref where adapter = 'clover' and order_id = ?", order))
                .isZero();
    }

    private static final String CLOVER_ATOMIC = "/v3/merchants/MQ5Z2KXN8PQR1/atomic_order/orders";
    private static final String CLOVER_ORDERS = "/v3/merchants/MQ5Z2KXN8PQR1/orders/";

    /** A web pickup order at queens: a fryer ticket of two items, a bar ticket of one. */
    private UUID queensOrder() throws Exception {
        Reply r = postOrder("""
                {"channel": "web", "locationId": "queens", "type": "pickup", "currency": "USD",
                 "lines": [{"itemId": "fries", "quantity": 2, "unitPrice": 499, "notes": "extra salt"},
                           {"itemId": "fries", "quantity": 1, "unitPrice": 499},
                           {"itemId": "soda", "quantity": 1, "unitPrice": 299}],
                 "customer": {"name": "Clover Tester", "phone": "+1 718 555 0102"}}
                """, UUID.randomUUID().toString());
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return UUID.fromString(r.json().path("orderId").asText());
    }

    private String cloverOrderId(UUID order) {
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from vendor_order_ref where "
                + "adapter = 'clover' and order_id = ?", order) == 1);
        return jdbc.queryForObject("select vendor_order_id from vendor_order_ref where adapter = 'clover' and "
                + "order_id = ?", String.class, order);
    }

    private void cancel(UUID order, String reason) throws Exception {
        assertThat(post("/api/v1/orders/" + order + "/status", "{\"status\": \"cancelled\", \"reason\": \""
                + reason + "\"}", java.util.Map.of("Authorization", "Bearer " + KEY, "Content-Type",
                "application/json")).status()).isEqualTo(200);
    }

    /** Clover DELETEs of this path (answered with {@code status}, or any answer when null). */
    private List<ServeEvent> deletes(String path, Integer status) {
        return adapterRegistry.sandbox("clover").orElseThrow().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals("DELETE")
                        && e.getRequest().getUrl().equals(path)
                        && (status == null || e.getResponse().getStatus() == status))
                .toList();
    }

    private List<ServeEvent> updates(String squareId, String state) {
        return squareSandbox().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals("PUT")
                        && e.getRequest().getUrl().equals("/v2/orders/" + squareId)
                        && e.getResponse().getStatus() == 200
                        && e.getRequest().getBodyAsString().contains("\"state\":\"" + state + "\""))
                .toList();
    }

    /** Clover's sandbox answers the DELETE of this order with this status and message. */
    private void cloverAnswersDelete(String deletePath, int status, String message) {
        adapterRegistry.sandbox("clover").orElseThrow().stubFor(WireMock.delete(WireMock.urlPathEqualTo(deletePath))
                .atPriority(1).willReturn(WireMock.aResponse().withStatus(status).withHeader("Content-Type",
                        "application/json").withBody("{\"message\":\"" + message + "\"}")));
    }
}
