package io.orderhub.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * leave the screens, the customer is told once, and DoorDash is not told about its own cancel.
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

    private List<ServeEvent> updates(String squareId, String state) {
        return squareSandbox().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals("PUT")
                        && e.getRequest().getUrl().equals("/v2/orders/" + squareId)
                        && e.getResponse().getStatus() == 200
                        && e.getRequest().getBodyAsString().contains("\"state\":\"" + state + "\""))
                .toList();
    }
}
