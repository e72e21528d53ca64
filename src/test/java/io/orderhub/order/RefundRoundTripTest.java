package io.orderhub.order;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderhub.support.HubTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A POS refund goes round: a DoorDash order for brooklyn reaches Square, is cooked and handed over; the restaurant
 * refunds it in full at Square; Square's signed refund.created webhook makes the hub order refunded, the customer
 * is told once (even when Square delivers the webhook twice), and DoorDash, which has no refund endpoint, is not
 * called: the order's timeline says so and why.
 */
class RefundRoundTripTest extends HubTestSupport {

    @Test
    void aFullSquareRefundOfADoorDashOrderTellsTheCustomerOnceAndRecordsThatDoorDashWasNotTold() throws Exception {
        String vendorId = UUID.randomUUID().toString();
        UUID order = doorDashOrder(vendorId);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from vendor_order_ref where "
                + "adapter = 'square' and order_id = ?", order) == 1);
        String squareId = jdbc.queryForObject("select vendor_order_id from vendor_order_ref where adapter = 'square' "
                + "and order_id = ?", String.class, order);

        // cooked (both tickets bumped: ready), then handed over and closed
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from kitchen_ticket where "
                + "order_id = ?", order) == 2);
        for (String ticket : jdbc.queryForList("select id from kitchen_ticket where order_id = ?", String.class,
                order)) {
            assertThat(console("POST", "/api/v1/kds/tickets/" + ticket + "/bump", null, "kitchen",
                    "test-kitchen-pass", null).status()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> "ready".equals(status(order)));
        Reply closed = post("/api/v1/orders/" + order + "/status", "{\"status\": \"completed\"}", Map.of(
                "Authorization", "Bearer " + KEY, "Content-Type", "application/json"));
        assertThat(closed.status()).as(closed.body()).isEqualTo(200);

        // Square now holds the order with its full refund
        Map<String, Object> money = jdbc.queryForMap("select total_minor, currency from orders where id = ?", order);
        long total = ((Number) money.get("total_minor")).longValue();
        String currency = (String) money.get("currency");
        String refundId = "rf" + UUID.randomUUID().toString().replace("-", "");
        squareSandbox().stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/v2/orders/" + squareId)).atPriority(1).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"order": {"id": "%s", "location_id": "L1BRKLYN0000A", "source": {"name": "OrderHub"},
                         "state": "COMPLETED", "version": 4, "created_at": "2026-01-01T12:00:00.000Z",
                         "updated_at": "2026-01-01T13:02:44.310Z",
                         "total_money": {"amount": %d, "currency": "%s"},
                         "refunds": [{"id": "%s", "status": "COMPLETED", "amount_money": {"amount": %d,
                                      "currency": "%s"}}]}}
                        """.formatted(squareId, total, currency, refundId, total, currency))));
        String refund = Files.readString(Path.of("adapters/square/samples/refund-completed-walk-in.input.json"))
                .replace("\"refund.updated\"", "\"refund.created\"")
                .replace("5c4b3a29-1807-4f6e-9d5c-4b3a29180706", UUID.randomUUID().toString())
                .replace("pW2sX3dC4fV5gB6hN7jM8kLqRz_r8Jk2Lm5Nq7Rt9Vx", refundId)
                .replace("Tb6mK2xQv9RnL4wHc8PdY3sJf7gZA", squareId)
                .replace("\"amount\": 5344", "\"amount\": " + total)
                .replace("\"currency\": \"GBP\"", "\"currency\": \"" + currency + "\"")
                .replace("L2SOHO00000B", "L1BRKLYN0000A")
                .replace("Rung up on the wrong table", "Guest complained: cold food");
        var square = adapterRegistry.find("square").orElseThrow();
        Reply r = post("/webhooks/square", refund, signedWebhook(square, refund));
        assertThat(r.status()).as(r.body()).isBetween(200, 299);

        await().atMost(Duration.ofSeconds(30)).until(() -> "refunded".equals(status(order)));
        await().atMost(Duration.ofSeconds(30)).until(() -> refundedNotices(order) == 1);
        // the channel's outcome is on the timeline
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from order_timeline where "
                + "order_id = ? and kind = 'channel-not-told'", order) == 1);
        String told = jdbc.queryForObject("select detail from order_timeline where order_id = ? and kind = "
                + "'channel-not-told'", String.class, order);
        assertThat(told).contains("DoorDash").contains("not told of the refund")
                .contains("refunds of DoorDash orders are made in the DoorDash merchant portal");

        // Square delivers the same webhook again: acknowledged, nothing new
        Reply again = post("/webhooks/square", refund, signedWebhook(square, refund));
        assertThat(again.status()).as(again.body()).isBetween(200, 299);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> refundedNotices(order) == 1
                && count("select count(*) from order_timeline where order_id = ? and kind = 'channel-not-told'",
                order) == 1);
        // each notification channel told once (webhook and SMS), and the customer app got one order.refunded
        List<Map<String, Object>> rows = jdbc.queryForList("select channel, state from customer_notification where "
                + "order_id = ? and kind = 'refunded'", order);
        assertThat(rows).isNotEmpty().allSatisfy(row -> assertThat(row.get("STATE")).isEqualTo("SENT"));
        assertThat(rows.stream().map(row -> row.get("CHANNEL")).distinct()).hasSize(rows.size());
        assertThat(jdbc.queryForList("select actor from order_timeline where order_id = ? and kind = 'status'",
                String.class, order)).contains("vendor:square");
        // DoorDash heard nothing about a refund (no cancellation or adjustment call for this order)
        assertThat(adapterRegistry.sandbox("doordash").orElseThrow().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().startsWith("/orders/" + vendorId + "/")
                        && !e.getRequest().getUrl().endsWith("/events/order_ready_for_pickup")).count()).isZero();
    }

    private String status(UUID order) {
        return jdbc.queryForObject("select status from orders where id = ?", String.class, order);
    }

    /** order.refunded webhooks the customer app received for this order. */
    private long refundedNotices(UUID order) {
        return CUSTOMER_APP.getAllServeEvents().stream().map(e -> e.getRequest().getBodyAsString())
                .filter(b -> b.contains("\"order.refunded\"") && b.contains(order.toString())).count();
    }
}
