package io.orderhub.order;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.orderhub.support.HubTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The conflict rules of docs/kitchen.md ("One lifecycle: who may move an order, and conflicts"), each through the
 * running hub: signed vendor webhooks on POST /webhooks/{vendor} (the adapters' own samples, with this test's ids),
 * the order API, the KDS API. Each test asserts the outcome the rule states (the order's status, the timeline entry
 * with its actor and reason) and what every other system received: the Square and Toast POS sandboxes, the DoorDash
 * sandbox (the channel), the kitchen's tickets and its display webhooks, the customer app.
 */
class ConflictRulesTest extends HubTestSupport {

    private static final Duration SETTLE = Duration.ofSeconds(30);
    /** How long "nothing else happens" is watched for: every stage takes well under a second here. */
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final String SQUARE_BROOKLYN = "L1BRKLYN0000A";
    private static final String DOORDASH_SAMPLE_ORDER = "3f2b9c1e-6d7a-4e58-9b0c-1a2d3e4f5a61";
    private static final String COMPLETED_TO_CANCELLED =
            "cannot move an order from completed to cancelled; allowed next: refunded";

    private final List<StubMapping> squareStubs = new ArrayList<>();

    @AfterEach
    void removeSquareStubs() {
        squareStubs.forEach(s -> squareSandbox().removeStub(s));
        squareStubs.clear();
    }

    // ---- the same state twice ------------------------------------------------------------------------------------

    /**
     * Rule "the same state twice (a vendor repeats itself): no-op, recorded as 'already'". The kitchen makes a DoorDash
     * order ready; the hub moves Square's fulfilment to PREPARED; Square's webhook about that change (its echo) says
     * PREPARED again: the intake is processed as "already ready", the order does not move and nobody is told again.
     */
    @Test
    void theSameStateTwiceFromAVendorIsANoOpRecordedAsAlready() throws Exception {
        String vendorId = UUID.randomUUID().toString();
        UUID order = doorDashOrder(vendorId);
        String squareId = squareIdOf(order);
        bumpEveryTicket(order);
        await().atMost(SETTLE).until(() -> "ready".equals(status(order)));
        await().atMost(SETTLE).until(() -> squareUpdates(squareId, "PREPARED") == 1
                && doorDash(vendorId, "/events/order_ready_for_pickup") == 1);
        long version = version(order);
        int statusEntries = timeline(order, "status").size();

        squareRetrieves(squareId, squareOrder(order, squareId, "OPEN", "PREPARED"));
        String eventId = UUID.randomUUID().toString();
        postWebhook("square", squareReadyWebhook(squareId, fulfillmentUid(order), eventId));

        await().atMost(SETTLE).until(() -> "PROCESSED".equals(intake("square", eventId).get("STATE")));
        Map<String, Object> intake = intake("square", eventId);
        assertThat(intake.get("REASON")).isEqualTo("already ready");
        assertThat(intake.get("ORDER_ID")).isEqualTo(order);
        await().during(QUIET).atMost(QUIET.multipliedBy(2)).until(() -> version(order) == version
                && timeline(order, "status").size() == statusEntries
                && timeline(order, "update-refused").isEmpty()
                && squareUpdates(squareId, "PREPARED") == 1
                && doorDash(vendorId, "/events/order_ready_for_pickup") == 1);
        assertThat(status(order)).isEqualTo("ready");
    }

    // ---- a cancel after the kitchen marked it ready ----------------------------------------------------------------

    /**
     * Rule "a cancel after the kitchen started or marked it ready: accepted: the customer and the channel are told,
     * open tickets are voided, bumped ones stay done (food made is on the timeline)", for an order the kitchen has
     * made ready, cancelled through the API. Also rule "a bump of a cancelled order's ticket: 409, nothing moves".
     */
    @Test
    void aCancelAfterTheKitchenMarkedItReadyIsAcceptedAndToldToThePosTheChannelAndTheCustomerOnce() throws Exception {
        String vendorId = UUID.randomUUID().toString();
        UUID order = doorDashOrder(vendorId);
        String squareId = squareIdOf(order);
        Map<String, String> tickets = bumpEveryTicket(order);
        await().atMost(SETTLE).until(() -> "ready".equals(status(order)));
        await().atMost(SETTLE).until(() -> squareUpdates(squareId, "PREPARED") == 1
                && doorDash(vendorId, "/events/order_ready_for_pickup") == 1);

        Reply cancel = changeStatus(order, "cancelled", "guest never came");
        assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
        assertThat(cancel.json().path("order").path("status").asText()).isEqualTo("cancelled");

        // the POS: Square's order cancelled (fulfilment and order CANCELED), once
        await().atMost(SETTLE).until(() -> squareUpdates(squareId, "CANCELED") == 1);
        JsonNode put = json.readTree(squareUpdateList(squareId, "CANCELED").get(0).getRequest().getBodyAsString());
        assertThat(put.path("order").path("state").asText()).isEqualTo("CANCELED");
        // the channel: DoorDash's cancellation endpoint, accepted, once
        await().atMost(SETTLE).until(() -> doorDash(vendorId, "/cancellation") == 1);
        assertThat(doorDashCalls(vendorId, "/cancellation").get(0).getResponse().getStatus()).isEqualTo(202);
        // the customer: one order.cancelled webhook with the reason, and each notification channel once
        await().atMost(SETTLE).until(() -> customerWebhooks(order, "order.cancelled").size() == 1);
        assertThat(json.readTree(customerWebhooks(order, "order.cancelled").get(0).getRequest().getBodyAsString())
                .path("data").path("message").asText()).contains("guest never came");
        await().atMost(SETTLE).until(() -> notifications(order, "cancelled").size() == 2);
        assertThat(notifications(order, "cancelled")).allSatisfy(n -> assertThat(n.get("STATE")).isEqualTo("SENT"));
        // the kitchen: the kds stage had the cancel; the tickets the cooks bumped stay DONE, none is voided
        await().atMost(SETTLE).until(() -> kdsDeliveries(order) == 2);
        assertThat(ticketStates(order)).containsOnly(Map.entry("grill", "DONE"), Map.entry("fryer", "DONE"));
        assertThat(kdsDisplayEvents(order, "kds.ticket.voided")).isEmpty();

        // the timeline: who cancelled and why, after the food the kitchen made
        JsonNode cancelled = timeline(order, "status").stream()
                .filter(e -> e.path("detail").asText().startsWith("ready -> cancelled")).findFirst().orElseThrow();
        assertThat(cancelled.path("actor").asText()).isEqualTo("client:test-web");
        assertThat(cancelled.path("detail").asText()).isEqualTo("ready -> cancelled (guest never came)");
        assertThat(timeline(order, "kitchen")).extracting(e -> e.path("detail").asText())
                .contains("grill: ticket bumped", "fryer: ticket bumped");

        // a bump of the cancelled order's ticket: 409, nothing moves
        long version = version(order);
        Reply late = kitchen("POST", "/api/v1/kds/tickets/" + tickets.get("fryer") + "/bump");
        assertThat(late.status()).as(late.body()).isEqualTo(409);
        assertThat(late.json().path("detail").asText()).contains("is done");

        await().during(QUIET).atMost(QUIET.multipliedBy(2)).until(() -> squareUpdates(squareId, "CANCELED") == 1
                && doorDash(vendorId, "/cancellation") == 1
                && customerWebhooks(order, "order.cancelled").size() == 1
                && notifications(order, "cancelled").size() == 2
                && kdsDisplayEvents(order, "kds.ticket.voided").isEmpty()
                && version(order) == version);
        assertThat(status(order)).isEqualTo("cancelled");
        assertThat(ticketStates(order)).containsOnly(Map.entry("grill", "DONE"), Map.entry("fryer", "DONE"));
    }

    // ---- a kitchen bump racing a cancel ------------------------------------------------------------------------------

    /**
     * Rule "a kitchen bump racing a cancel: the state machine decides; the losing move is recorded as update-refused".
     * The race is held open on purpose: the kds stage's consumer is stopped while the API cancels an order the
     * kitchen has started, so the fryer's ticket is still on its board (status changes reach the kitchen through the
     * kds queue) when the cook bumps it. The cancel won: the bump is refused (409) and recorded as update-refused
     * by the fryer, the order stays cancelled, nobody hears "ready", and the ticket is voided once the kitchen hears
     * of the cancel.
     */
    @Test
    void aKitchenBumpRacingACancelLosesTheOrderStaysCancelledAndNobodyIsToldReady() throws Exception {
        Started started = startedDoorDashOrder();
        String vendorId = started.vendorId();
        UUID order = started.order();
        String squareId = started.squareId();
        Map<String, String> tickets = started.tickets();

        camel.getRouteController().stopRoute("stage-kds-deliver");
        Reply bump;
        long versionAfterCancel;
        try {
            Reply cancel = changeStatus(order, "cancelled", "guest called");
            assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
            versionAfterCancel = version(order);
            // the kitchen has not heard of the cancel yet: the ticket is still on the fryer's screen
            assertThat(board("fryer")).contains(tickets.get("fryer"));
            bump = kitchen("POST", "/api/v1/kds/tickets/" + tickets.get("fryer") + "/bump");
        } finally {
            camel.getRouteController().startRoute("stage-kds-deliver");
        }
        // the cancel won: the bump is refused with the reason and recorded as the losing move
        assertThat(bump.status()).as(bump.body()).isEqualTo(409);
        assertThat(bump.body()).contains("the order is cancelled");
        assertThat(timeline(order, "update-refused")).extracting(e -> e.path("actor").asText() + " "
                + e.path("detail").asText()).containsExactly("kds:fryer bump by kitchen refused: the order is "
                + "cancelled");
        await().atMost(SETTLE).until(() -> kdsDeliveries(order) == 1);
        assertThat(status(order)).isEqualTo("cancelled");
        assertThat(version(order)).isEqualTo(versionAfterCancel);
        // the grill's ticket was done before the cancel; the fryer's leaves the screen voided when the kitchen hears
        await().atMost(SETTLE).until(() -> ticketStates(order).equals(Map.of("grill", "DONE", "fryer", "VOIDED")));
        assertThat(board("fryer")).doesNotContain(tickets.get("fryer"));
        assertThat(timeline(order, "status")).extracting(e -> e.path("detail").asText())
                .noneMatch(d -> d.contains("-> ready"))
                .contains("in_preparation -> cancelled (guest called)");
        assertThat(timeline(order, "kitchen")).extracting(e -> e.path("detail").asText())
                .noneMatch(d -> d.startsWith("fryer:"));

        // nobody hears "ready"; the cancel is told once where it is told
        await().atMost(SETTLE).until(() -> squareUpdates(squareId, "CANCELED") == 1
                && doorDash(vendorId, "/cancellation") == 1 && customerWebhooks(order, "order.cancelled").size() == 1);
        await().during(QUIET).atMost(QUIET.multipliedBy(2)).until(() -> squareUpdates(squareId, "PREPARED") == 0
                && doorDash(vendorId, "/events/order_ready_for_pickup") == 0
                && squareUpdates(squareId, "CANCELED") == 1
                && doorDash(vendorId, "/cancellation") == 1
                && customerWebhooks(order, "order.cancelled").size() == 1
                && version(order) == versionAfterCancel);

    }

    // ---- a POS void of a completed (handed over) order -------------------------------------------------------------

    /**
     * Rule "a POS void (or any cancel) of a completed (handed over) order: refused with the reason (completed ->
     * cancelled is not a move); the POS's void is recorded as update-refused; a refund (completed -> refunded) is the
     * way". A DoorDash delivery order is cooked, dispatched and delivered (completed); then Square's order.updated
     * says the order was CANCELED at the POS. Also the API's and DoorDash's own cancels of it.
     */
    @Test
    void aSquareVoidOfADeliveredOrderIsRefusedRecordedAsUpdateRefusedAndPropagatedNowhere() throws Exception {
        String vendorId = UUID.randomUUID().toString();
        UUID order = doorDashOrder(vendorId);
        String squareId = squareIdOf(order);
        deliver(order, squareId);
        long version = version(order);
        int cancelledWebhooks = customerWebhooks(order, "order.cancelled").size();

        squareRetrieves(squareId, squareOrder(order, squareId, "CANCELED", "CANCELED"));
        String eventId = UUID.randomUUID().toString();
        postWebhook("square", squareVoidWebhook(squareId, eventId));

        await().atMost(SETTLE).until(() -> timeline(order, "update-refused").size() == 1);
        JsonNode refused = timeline(order, "update-refused").get(0);
        assertThat(refused.path("actor").asText()).isEqualTo("vendor:square");
        assertThat(refused.path("detail").asText()).isEqualTo("cancelled: " + COMPLETED_TO_CANCELLED);
        await().atMost(SETTLE).until(() -> "REJECTED".equals(intake("square", eventId).get("STATE")));
        assertThat(intake("square", eventId).get("REASON")).isEqualTo(COMPLETED_TO_CANCELLED);

        // any cancel: the API's is refused with the same reason (409), DoorDash's own is refused and recorded
        Reply api = changeStatus(order, "cancelled", "too late");
        assertThat(api.status()).as(api.body()).isEqualTo(409);
        assertThat(api.json().path("detail").asText()).isEqualTo(COMPLETED_TO_CANCELLED);
        String ddCancel = Files.readString(Path.of("adapters/doordash/samples/order-cancelled.input.json"))
                .replace(DOORDASH_SAMPLE_ORDER, vendorId);
        postWebhook("doordash", ddCancel);
        await().atMost(SETTLE).until(() -> timeline(order, "update-refused").size() == 2);
        assertThat(timeline(order, "update-refused")).extracting(e -> e.path("actor").asText() + " "
                + e.path("detail").asText()).containsExactly("vendor:square cancelled: " + COMPLETED_TO_CANCELLED,
                "vendor:doordash cancelled: " + COMPLETED_TO_CANCELLED);

        // no state change, nothing propagated: no event (the version stays), no POS void, no channel cancellation,
        // no customer told, no ticket voided
        await().during(QUIET).atMost(QUIET.multipliedBy(2)).until(() -> version(order) == version
                && squareUpdates(squareId, "CANCELED") == 0
                && doorDash(vendorId, "/cancellation") == 0
                && customerWebhooks(order, "order.cancelled").size() == cancelledWebhooks
                && notifications(order, "cancelled").isEmpty()
                && kdsDisplayEvents(order, "kds.ticket.voided").isEmpty());
        assertThat(status(order)).isEqualTo("completed");
        assertThat(ticketStates(order).values()).containsOnly("DONE");
        assertThat(timeline(order, "status")).extracting(e -> e.path("detail").asText())
                .noneMatch(d -> d.contains("-> cancelled"));
    }

    /**
     * The same rule with Toast's void (order_updated with {@code voided: true}, sample delivery-injected-voided) of a
     * chelsea order the hub put into Toast and that was handed over (completed).
     */
    @Test
    void aToastVoidOfACompletedOrderIsRefusedRecordedAsUpdateRefusedAndPropagatedNowhere() throws Exception {
        Reply created = postOrder("""
                {"channel": "web", "locationId": "chelsea", "type": "pickup", "currency": "USD",
                 "lines": [{"itemId": "fries", "quantity": 2, "unitPrice": 499}],
                 "customer": {"name": "Toast Voider", "phone": "+1 212 555 0102"}}
                """, UUID.randomUUID().toString());
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        UUID order = UUID.fromString(created.json().path("orderId").asText());
        await().atMost(SETTLE).until(() -> count("select count(*) from vendor_order_ref where adapter = 'toast' and "
                + "order_id = ?", order) == 1);
        String guid = jdbc.queryForObject("select vendor_order_id from vendor_order_ref where adapter = 'toast' and "
                + "order_id = ?", String.class, order);
        for (String next : List.of("in_preparation", "ready", "completed")) {
            Reply moved = changeStatus(order, next, null);
            assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        }
        long version = version(order);

        String sample = Files.readString(Path.of("adapters/toast/samples/delivery-injected-voided.input.json"));
        ObjectNode event = (ObjectNode) json.readTree(sample);
        event.put("guid", UUID.randomUUID().toString());
        ObjectNode toastOrder = (ObjectNode) event.path("details").path("order");
        toastOrder.put("guid", guid);
        toastOrder.put("externalId", "orderhub:" + order);
        String body = json.writeValueAsString(event);
        postWebhook("toast", body);

        await().atMost(SETTLE).until(() -> timeline(order, "update-refused").size() == 1);
        JsonNode refused = timeline(order, "update-refused").get(0);
        assertThat(refused.path("actor").asText()).isEqualTo("vendor:toast");
        assertThat(refused.path("detail").asText()).isEqualTo("cancelled: " + COMPLETED_TO_CANCELLED);

        WireMockServer toast = adapterRegistry.sandbox("toast").orElseThrow();
        await().during(QUIET).atMost(QUIET.multipliedBy(2)).until(() -> version(order) == version
                && toast.getAllServeEvents().stream().noneMatch(e -> e.getRequest().getUrl().contains(guid))
                && customerWebhooks(order, "order.cancelled").isEmpty()
                && notifications(order, "cancelled").isEmpty());
        assertThat(status(order)).isEqualTo("completed");
        assertThat(ticketStates(order).values()).containsOnly("DONE");
    }

    // ---- an update older than the order's state ----------------------------------------------------------------------

    /**
     * Rule "an update older than the order's state (ready after completed): refused with the reason, recorded".
     * A delivered DoorDash order; Square's order.fulfillment.updated then says PREPARED (ready).
     */
    @Test
    void aReadyFromThePosAfterTheOrderWasCompletedIsRefusedWithTheReasonAndRecorded() throws Exception {
        String vendorId = UUID.randomUUID().toString();
        UUID order = doorDashOrder(vendorId);
        String squareId = squareIdOf(order);
        deliver(order, squareId);
        long version = version(order);
        String reason = "cannot move an order from completed to ready; allowed next: refunded";

        squareRetrieves(squareId, squareOrder(order, squareId, "OPEN", "PREPARED"));
        String eventId = UUID.randomUUID().toString();
        postWebhook("square", squareReadyWebhook(squareId, fulfillmentUid(order), eventId));

        await().atMost(SETTLE).until(() -> timeline(order, "update-refused").size() == 1);
        JsonNode refused = timeline(order, "update-refused").get(0);
        assertThat(refused.path("actor").asText()).isEqualTo("vendor:square");
        assertThat(refused.path("detail").asText()).isEqualTo("ready: " + reason);
        await().atMost(SETTLE).until(() -> "REJECTED".equals(intake("square", eventId).get("STATE")));
        assertThat(intake("square", eventId).get("REASON")).isEqualTo(reason);

        // the API gets the same reason (409); an API client's refused move is answered, not put on the timeline
        Reply api = changeStatus(order, "ready", null);
        assertThat(api.status()).as(api.body()).isEqualTo(409);
        assertThat(api.json().path("detail").asText()).isEqualTo(reason);

        await().during(QUIET).atMost(QUIET.multipliedBy(2)).until(() -> version(order) == version
                && timeline(order, "update-refused").size() == 1
                && squareUpdates(squareId, "PREPARED") == 1
                && doorDash(vendorId, "/events/order_ready_for_pickup") == 1);
        assertThat(status(order)).isEqualTo("completed");
    }

    // ---- never sent back to the POS ------------------------------------------------------------------------------------

    /**
     * Rule "an order from a POS, or a change the POS made: never sent back to that POS", the change: Square voids a
     * DoorDash order the kitchen has started (sample order-updated-hub-order-cancelled). The hub cancels it as
     * vendor:square; DoorDash, the kitchen and the customer are told once; Square is not sent its own void.
     */
    @Test
    void aVoidMadeInSquareIsNotSentBackToSquareButReachesTheChannelTheKitchenAndTheCustomerOnce() throws Exception {
        Started started = startedDoorDashOrder();
        String vendorId = started.vendorId();
        UUID order = started.order();
        String squareId = started.squareId();
        Map<String, String> tickets = started.tickets();

        StubMapping voided = squareRetrieves(squareId, squareOrder(order, squareId, "CANCELED", "CANCELED"));
        postWebhook("square", squareVoidWebhook(squareId, UUID.randomUUID().toString()));

        await().atMost(SETTLE).until(() -> "cancelled".equals(status(order)));
        JsonNode cancelled = timeline(order, "status").stream()
                .filter(e -> e.path("detail").asText().startsWith("in_preparation -> cancelled")).findFirst()
                .orElseThrow();
        assertThat(cancelled.path("actor").asText()).isEqualTo("vendor:square");
        assertThat(cancelled.path("detail").asText())
                .isEqualTo("in_preparation -> cancelled (cancelled in Square (order CANCELED))");
        // the channel, once
        await().atMost(SETTLE).until(() -> doorDash(vendorId, "/cancellation") == 1);
        // the kitchen: the open ticket voided (off the screens, its display told), the bumped one stays done
        await().atMost(SETTLE).until(() -> ticketStates(order).equals(Map.of("grill", "DONE", "fryer", "VOIDED")));
        assertThat(board("fryer")).doesNotContain(tickets.get("fryer"));
        await().atMost(SETTLE).until(() -> kdsDisplayEvents(order, "kds.ticket.voided").size() == 1);
        assertThat(kdsDisplayEvents(order, "kds.ticket.voided").get(0).path("data").path("ticketId").asText())
                .isEqualTo(tickets.get("fryer"));
        // the customer, once per notification channel
        await().atMost(SETTLE).until(() -> customerWebhooks(order, "order.cancelled").size() == 1
                && notifications(order, "cancelled").size() == 2);
        // the pos stage had the cancel (in_preparation and cancelled delivered) and sent Square nothing: no
        // UpdateOrder, not even the RetrieveOrder that comes before one (Square was asked once, by the webhook)
        await().atMost(SETTLE).until(() -> count("select count(*) from stage_delivery where stage = 'pos' and "
                + "order_id = ? and event_type = 'order.status_changed'", order) == 2);
        await().during(QUIET).atMost(QUIET.multipliedBy(2)).until(() -> squarePuts(squareId).size() == 1
                && servedBy(voided) == 1
                && squareUpdates(squareId, "CANCELED") == 0
                && doorDash(vendorId, "/cancellation") == 1
                && customerWebhooks(order, "order.cancelled").size() == 1
                && kdsDisplayEvents(order, "kds.ticket.voided").size() == 1);
    }

    /**
     * Rule "an order from a POS ... never sent back to that POS", the order: a walk-in rung up at Square (sample
     * walk-in-soho, under a fresh Square order id) becomes a hub order, and neither it nor its later status goes
     * back to Square (no CreateOrder, no UpdateOrder).
     */
    @Test
    void anOrderRungUpAtTheSquarePosIsNeverSentBackToSquare() throws Exception {
        String squareId = squareOrderId();
        String fetched = Files.readString(Path.of(
                "adapters/square/wiremock/__files/order-Tb6mK2xQv9RnL4wHc8PdY3sJf7gZA.json"))
                .replace("Tb6mK2xQv9RnL4wHc8PdY3sJf7gZA", squareId);
        squareRetrieves(squareId, fetched);
        String webhook = Files.readString(Path.of("adapters/square/samples/walk-in-soho.input.json"))
                .replace("0c7d2e4f-8a91-4b3c-b5d6-e7f8091a2b3c", UUID.randomUUID().toString())
                .replace("Tb6mK2xQv9RnL4wHc8PdY3sJf7gZA", squareId);
        postWebhook("square", webhook);

        await().atMost(SETTLE).until(() -> count("select count(*) from orders where business_key = ?",
                "square:order:" + squareId) == 1);
        UUID order = jdbc.queryForObject("select id from orders where business_key = ?", UUID.class,
                "square:order:" + squareId);
        JsonNode stored = get("/api/v1/orders/" + order, KEY).json().path("order");
        assertThat(stored.path("source").asText()).isEqualTo("square");
        assertThat(stored.path("channel").asText()).isEqualTo("pos");

        Reply moved = changeStatus(order, "in_preparation", null);
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        // the pos and channel-status stages had both events and called nothing
        await().atMost(SETTLE).until(() -> stagesDelivered(order, "order.created").contains("pos")
                && count("select count(*) from stage_delivery where stage in ('pos', 'channel-status') and "
                + "order_id = ? and event_type = 'order.status_changed'", order) == 2);
        await().during(QUIET).atMost(QUIET.multipliedBy(2)).until(() -> squareSandbox().getAllServeEvents().stream()
                .noneMatch(e -> !e.getRequest().getMethod().getName().equals("GET")
                        && (e.getRequest().getUrl().contains(squareId)
                        || e.getRequest().getBodyAsString().contains(order.toString()))));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** Cooked, dispatched and delivered through the API; waits until Square has every step (RESERVED .. COMPLETED). */
    private void deliver(UUID order, String squareId) throws Exception {
        for (String next : List.of("in_preparation", "ready", "dispatched", "completed")) {
            Reply moved = changeStatus(order, next, null);
            assertThat(moved.status()).as(next + ": " + moved.body()).isEqualTo(200);
        }
        await().atMost(SETTLE).until(() -> squareUpdates(squareId, "RESERVED") == 1
                && squareUpdates(squareId, "PREPARED") == 1 && squareUpdates(squareId, "COMPLETED") == 1);
        await().atMost(SETTLE).until(() -> ticketStates(order).values().stream().allMatch("DONE"::equals));
    }

    private Reply changeStatus(UUID order, String status, String reason) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        if (reason != null) {
            body.put("reason", reason);
        }
        return post("/api/v1/orders/" + order + "/status", json.writeValueAsString(body),
                Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json"));
    }

    private void postWebhook(String adapter, String body) throws Exception {
        Reply r = post("/webhooks/" + adapter, body, signedWebhook(adapterRegistry.find(adapter).orElseThrow(), body));
        assertThat(r.status()).as(r.body()).isBetween(200, 299);
    }

    private JsonNode order(UUID order) throws Exception {
        Reply r = get("/api/v1/orders/" + order, KEY);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("order");
    }

    private String status(UUID order) throws Exception {
        return order(order).path("status").asText();
    }

    private long version(UUID order) throws Exception {
        return order(order).path("version").asLong();
    }

    /** The order's timeline entries of one kind, oldest first, as the API gives them. */
    private List<JsonNode> timeline(UUID order, String kind) throws Exception {
        Reply r = get("/api/v1/orders/" + order + "/timeline", KEY);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> entries = new ArrayList<>();
        r.json().forEach(e -> {
            if (kind.equals(e.path("kind").asText())) {
                entries.add(e);
            }
        });
        return entries;
    }

    private Map<String, Object> intake(String source, String eventKey) {
        List<Map<String, Object>> rows = jdbc.queryForList("select state, reason, order_id from intake where "
                + "source = ? and idempotency_key = ?", source, "event:" + eventKey);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    private List<Map<String, Object>> notifications(UUID order, String kind) {
        return jdbc.queryForList("select channel, state from customer_notification where order_id = ? and kind = ?",
                order, kind);
    }

    private int kdsDeliveries(UUID order) {
        return count("select count(*) from stage_delivery where stage = 'kds' and order_id = ? and "
                + "event_type = 'order.status_changed'", order);
    }

    // ---- the kitchen ----

    private Reply kitchen(String method, String path) throws Exception {
        return console(method, path, null, "kitchen", "test-kitchen-pass", null);
    }

    /** Ticket id per station, once the order's two tickets (grill: burger, fryer: fries) are there. */
    private Map<String, String> ticketsOf(UUID order) {
        Map<String, String> byStation = new LinkedHashMap<>();
        await().atMost(SETTLE).untilAsserted(() -> {
            byStation.clear();
            kitchen("GET", "/api/v1/kds/orders/" + order + "/tickets").json().forEach(t ->
                    byStation.put(t.path("station").asText(), t.path("id").asText()));
            assertThat(byStation).containsOnlyKeys("grill", "fryer");
        });
        return byStation;
    }

    /** A DoorDash order (brooklyn: grill and fryer) in Square, which the grill has started: in preparation. */
    private record Started(String vendorId, UUID order, String squareId, Map<String, String> tickets) {
    }

    private Started startedDoorDashOrder() throws Exception {
        String vendorId = UUID.randomUUID().toString();
        UUID order = doorDashOrder(vendorId);
        String squareId = squareIdOf(order);
        Map<String, String> tickets = ticketsOf(order);
        Reply started = kitchen("POST", "/api/v1/kds/tickets/" + tickets.get("grill") + "/items/0/bump");
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        await().atMost(SETTLE).until(() -> "in_preparation".equals(status(order)));
        await().atMost(SETTLE).until(() -> squareUpdates(squareId, "RESERVED") == 1);
        return new Started(vendorId, order, squareId, tickets);
    }

    private Map<String, String> bumpEveryTicket(UUID order) throws Exception {
        Map<String, String> tickets = ticketsOf(order);
        for (String ticket : tickets.values()) {
            Reply r = kitchen("POST", "/api/v1/kds/tickets/" + ticket + "/bump");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
        return tickets;
    }

    private Map<String, String> ticketStates(UUID order) throws Exception {
        Map<String, String> states = new LinkedHashMap<>();
        kitchen("GET", "/api/v1/kds/orders/" + order + "/tickets").json().forEach(t ->
                states.put(t.path("station").asText(), t.path("state").asText()));
        return states;
    }

    private List<String> board(String station) throws Exception {
        Reply b = kitchen("GET", "/api/v1/kds/brooklyn/tickets?station=" + station);
        assertThat(b.status()).as(b.body()).isEqualTo(200);
        return b.json().path("tickets").findValuesAsText("id");
    }

    /** KDS webhooks of this type about the order that the brooklyn pass display (every station) received. */
    private List<JsonNode> kdsDisplayEvents(UUID order, String type) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (ServeEvent e : KDS_DISPLAY.getAllServeEvents()) {
            if (!e.getRequest().getUrl().equals("/kds/pass")) {
                continue;
            }
            JsonNode body = json.readTree(e.getRequest().getBodyAsString());
            if (type.equals(body.path("type").asText())
                    && order.toString().equals(body.path("data").path("orderId").asText())) {
                events.add(body);
            }
        }
        return events;
    }

    // ---- the customer, the channel ----

    private List<ServeEvent> customerWebhooks(UUID order, String type) throws Exception {
        List<ServeEvent> found = new ArrayList<>();
        for (ServeEvent e : CUSTOMER_APP.getAllServeEvents()) {
            JsonNode body = json.readTree(e.getRequest().getBodyAsString());
            if (type.equals(body.path("type").asText())
                    && order.toString().equals(body.path("data").path("orderId").asText())) {
                found.add(e);
            }
        }
        return found;
    }

    private List<ServeEvent> doorDashCalls(String vendorId, String pathEnd) {
        return adapterRegistry.sandbox("doordash").orElseThrow().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().endsWith("/orders/" + vendorId + pathEnd)).toList();
    }

    private long doorDash(String vendorId, String pathEnd) {
        return doorDashCalls(vendorId, pathEnd).size();
    }

    // ---- Square ----

    private String squareIdOf(UUID order) {
        await().atMost(SETTLE).until(() -> count("select count(*) from vendor_order_ref where adapter = 'square' "
                + "and order_id = ?", order) == 1);
        return jdbc.queryForObject("select vendor_order_id from vendor_order_ref where adapter = 'square' and "
                + "order_id = ?", String.class, order);
    }

    /** The fulfilment uid Square gave the hub's order (CreateOrder's answer, remembered). */
    private String fulfillmentUid(UUID order) throws Exception {
        String data = jdbc.queryForObject("select data from vendor_order_ref where adapter = 'square' and "
                + "order_id = ?", String.class, order);
        return json.readTree(data).path("fulfillment_uid").asText();
    }

    private List<ServeEvent> squarePuts(String squareId) {
        return squareSandbox().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals("PUT")
                        && e.getRequest().getUrl().equals("/v2/orders/" + squareId))
                .toList();
    }

    /** UpdateOrder calls Square answered 200 that move the order's fulfilment (or the order) to this state. */
    private List<ServeEvent> squareUpdateList(String squareId, String state) {
        return squarePuts(squareId).stream().filter(e -> e.getResponse().getStatus() == 200
                && e.getRequest().getBodyAsString().contains("\"state\":\"" + state + "\"")).toList();
    }

    private long squareUpdates(String squareId, String state) {
        return squareUpdateList(squareId, state).size();
    }

    /**
     * Square's RetrieveOrder answer for this order: the sandbox's own hub DoorDash order (cancelled at the POS,
     * __files/order-Kd8vB3nQ6xTm2RwL9cHp5YsZ4gJfC.json) with this order's ids, the fulfilment uid Square gave it and
     * the order and fulfilment states given.
     */
    private String squareOrder(UUID order, String squareId, String orderState, String fulfillmentState)
            throws Exception {
        JsonNode file = json.readTree(Path.of(
                "adapters/square/wiremock/__files/order-Kd8vB3nQ6xTm2RwL9cHp5YsZ4gJfC.json").toFile());
        ObjectNode o = (ObjectNode) file.path("order");
        o.put("id", squareId);
        o.put("reference_id", order.toString());
        o.put("state", orderState);
        o.put("version", 20);
        if (!"CANCELED".equals(orderState)) {
            o.remove("closed_at");
        }
        ObjectNode f = (ObjectNode) o.path("fulfillments").get(0);
        f.put("uid", fulfillmentUid(order));
        f.put("state", fulfillmentState);
        if (!"CANCELED".equals(fulfillmentState)) {
            ((ObjectNode) f.path("delivery_details")).remove("canceled_at");
        }
        return json.writeValueAsString(file);
    }

    /** RetrieveOrder of this Square order answers this body (until the test ends). */
    private StubMapping squareRetrieves(String squareId, String body) {
        StubMapping stub = squareSandbox().stubFor(com.github.tomakehurst.wiremock.client.WireMock
                .get(urlPathEqualTo("/v2/orders/" + squareId)).atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(body)));
        squareStubs.add(stub);
        return stub;
    }

    /** Requests the Square sandbox answered with this stub. */
    private long servedBy(StubMapping stub) {
        return squareSandbox().getAllServeEvents().stream()
                .filter(e -> e.getStubMapping() != null && stub.getId().equals(e.getStubMapping().getId())).count();
    }

    /** Square's order.updated for an order cancelled at the POS (sample order-updated-hub-order-cancelled). */
    private String squareVoidWebhook(String squareId, String eventId) throws Exception {
        return Files.readString(Path.of("adapters/square/samples/order-updated-hub-order-cancelled.input.json"))
                .replace("3a2b1c0d-9e8f-4a7b-b6c5-d4e3f2a1b0c9", eventId)
                .replace("Kd8vB3nQ6xTm2RwL9cHp5YsZ4gJfC", squareId)
                .replace("\"version\": 3", "\"version\": 20");
    }

    /** Square's order.fulfillment.updated RESERVED -> PREPARED (sample fulfillment-updated-hub-order-ready). */
    private String squareReadyWebhook(String squareId, String uid, String eventId) throws Exception {
        return Files.readString(Path.of("adapters/square/samples/fulfillment-updated-hub-order-ready.input.json"))
                .replace("9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", eventId)
                .replace("Hn4rX7kP2vQm9LwT5cYb8dZs3JfGB", squareId)
                .replace("L2SOHO00000B", SQUARE_BROOKLYN)
                .replace("fQ3wE4rT5yU6iO7pA8sD9f", uid)
                .replace("\"version\": 4", "\"version\": 20");
    }

    /** A fresh id of Square's shape (29 letters and digits). */
    private static String squareOrderId() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 29; i++) {
            id.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return id.toString();
    }
}
