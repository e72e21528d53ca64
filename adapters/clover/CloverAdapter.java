package clover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.orderhub.adapter.AdapterContext;
import io.orderhub.adapter.Inbound;
import io.orderhub.adapter.VendorAdapter;
import io.orderhub.adapter.VendorApi;
import io.orderhub.adapter.VendorCall;
import io.orderhub.adapter.VendorOrderRefs;
import io.orderhub.menu.Menu;
import io.orderhub.model.OrderStatus;
import io.orderhub.order.OrderEvent;
import io.orderhub.pipeline.PermanentFailure;
import io.orderhub.pipeline.RetryLater;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clover as a restaurant's POS. Webhooks in: Clover's app webhooks are thin and batched ({@link CloverNotification});
 * an order event fetches the order. An order the hub put into Clover (found by its reference, or by the hub's mark in
 * its note) can only move in the hub (deleted in Clover: cancelled; refunded: refunded); any other order is one
 * rung up at the register and becomes a new hub order once it is paid ({@link CloverOrderMapper}). POS out: each
 * new order of another source is created in Clover with one atomic-order call ({@link CloverOrderRequest}); when
 * such an order is cancelled in the hub, its Clover order is deleted (setting {@code cancel-deletes-order}). Clover
 * is told about no other status: its orders have none the kitchen uses. See README.md.
 */
public class CloverAdapter implements VendorAdapter {

    private static final Logger log = LoggerFactory.getLogger(CloverAdapter.class);

    /** Everything the mapping reads, in one GET. */
    static final String EXPAND = "lineItems,lineItems.modifications,lineItems.discounts,discounts,orderType";

    /**
     * Clover's answer for an order it does not have. The descriptor lists it as "already done" so that the DELETE
     * of an order already gone is a success; every other call of this adapter reads it as what it is (the order
     * fetch: gone; the atomic create: a refusal, dead-lettered).
     */
    static final int NOT_FOUND = 404;

    /** How long the delete of an order whose atomic create has not been answered yet waits before it looks again. */
    static final Duration WAIT_FOR_CREATE = Duration.ofSeconds(30);

    @Override
    public Optional<String> eventKey(Webhook webhook) {
        if (webhook.json() == null || !webhook.json().isObject()) {
            return Optional.empty();
        }
        try {
            return Optional.of(CloverNotification.read(webhook.json()).handled().key());
        } catch (PermanentFailure notClover) {
            return Optional.empty();
        }
    }

    private static final java.util.regex.Pattern VERIFICATION_CODE = java.util.regex.Pattern.compile(
            "[A-Za-z0-9-]{1,64}");

    /**
     * Clover's one-time verification POST, {@code {"verificationCode": "..."}} without X-Clover-Auth: the code the
     * developer pastes into the app's webhook settings (then Clover sends the auth code with every webhook).
     */
    @Override
    public Optional<String> handshake(String payload, AdapterContext adapter) {
        JsonNode root = adapter.readObject(payload, "clover verification");
        JsonNode code = root.get("verificationCode");
        if (root.size() != 1 || code == null || !code.isTextual()
                || !VERIFICATION_CODE.matcher(code.textValue()).matches()) {
            return Optional.empty();
        }
        return Optional.of("Clover verification code " + code.textValue() + ": paste it into the app's Webhooks "
                + "settings in the Clover Developer Dashboard");
    }

    /**
     * Clover batches: one POST may name several merchants and objects. Each object becomes its own payload of the
     * same shape ({@code {"appId", "merchants": {"<mId>": [<object>]}}}), stored and processed on its own.
     */
    @Override
    public List<String> split(String payload, AdapterContext adapter) {
        JsonNode root = adapter.readObject(payload, "clover webhook");
        JsonNode merchants = root.get("merchants");
        if (merchants == null || !merchants.isObject()) {
            return List.of(payload);
        }
        List<String> parts = new java.util.ArrayList<>();
        merchants.fields().forEachRemaining(m -> {
            if (m.getValue().isArray()) {
                for (JsonNode object : m.getValue()) {
                    var one = adapter.json().createObjectNode();
                    if (root.has("appId")) {
                        one.set("appId", root.get("appId"));
                    }
                    one.putObject("merchants").putArray(m.getKey()).add(object);
                    parts.add(one.toString());
                }
            }
        });
        return parts.size() <= 1 ? List.of(payload) : parts;
    }

    @Override
    public Inbound translate(String payload, TranslationContext context, AdapterContext adapter) {
        JsonNode root = adapter.readObject(payload, "webhook body");
        if (!root.has("merchants") && root.path("verificationCode").isTextual()) {
            // normally refused before this point (it carries no X-Clover-Auth); kept visible if it ever gets here
            return new Inbound.Ignored("Clover webhook verification code "
                    + CloverJson.clip(root.path("verificationCode").textValue(), 64)
                    + ": paste it into the app's Webhooks settings in the Clover Developer Dashboard");
        }
        CloverNotification notification = CloverNotification.read(root);
        CloverNotification.Event event = notification.handled();
        if (!event.isOrder()) {
            return new Inbound.Ignored("Clover " + event + ": " + (event.objectId().startsWith("P:")
                    ? "payments are not mapped (the order's own events carry what the hub needs; tips and tenders "
                    + "stay in Clover)" : "not an order"));
        }
        List<CloverNotification.Event> others = notification.otherOrders();
        if (!others.isEmpty()) {
            log.warn("Clover webhook names {} orders; the kit takes one event per webhook: {} is handled, not {}",
                    others.size() + 1, event, others.stream().map(Object::toString).collect(Collectors.joining(", ")));
        }
        try {
            return order(event, context, adapter);
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new PermanentFailure("clover " + event + ": " + e.getMessage(), e);
        }
    }

    private Inbound order(CloverNotification.Event event, TranslationContext context, AdapterContext adapter) {
        String orderId = CloverJson.safeId(event.orderId(), "order id");
        if (event.isDelete()) {
            // the order is gone: nothing to fetch. The hub cancels its order of that Clover id, whichever side
            // made it (a walk-in it took, or one it put into Clover)
            return new Inbound.OrderUpdate(orderId, OrderStatus.CANCELLED, "deleted in Clover");
        }
        String merchant = CloverJson.safeId(event.merchantId(), "merchant id");
        Menu.Location location = adapter.locationForStore(merchant).orElseThrow(() -> new PermanentFailure(
                "clover merchant " + merchant + " is not mapped to a hub location (orderhub.adapters.clover.stores."
                        + merchant + ")"));
        Optional<JsonNode> fetched = getJson(merchant, "/v3/merchants/" + merchant + "/orders/" + orderId
                + "?expand=" + EXPAND, adapter);
        if (fetched.isEmpty()) {
            return new Inbound.Ignored("Clover order " + orderId + " " + event.type() + ": Clover no longer has "
                    + "the order (404; deleted since, its DELETE event cancels it). If every order of merchant "
                    + merchant + " answers 404, check that the api-token is this merchant's");
        }
        JsonNode order = fetched.get();
        if (order == null || !order.isObject()) {
            throw new PermanentFailure("clover: GET order " + orderId + " answered with no order object");
        }
        String answeredId = CloverJson.text(order, "id");
        if (answeredId != null && !answeredId.equals(orderId)) {
            throw new PermanentFailure("clover: GET order " + orderId + " answered with order " + answeredId);
        }
        String paymentState = CloverJson.text(order, "paymentState");
        if ("REFUNDED".equals(paymentState)) {
            return new Inbound.OrderUpdate(orderId, OrderStatus.REFUNDED, "refunded in Clover");
        }
        Optional<String> hubOrder = adapter.orderRefByVendorId(orderId).map(r -> r.orderId().toString())
                .or(() -> CloverOrderRequest.hubOrderId(CloverJson.text(order, "note")));
        if (hubOrder.isPresent()) {
            return hubOrderChanged(orderId, event, order, hubOrder.get(), paymentState, adapter);
        }
        return walkIn(orderId, order, location, context, adapter);
    }

    /** An order the hub put into Clover: only payment can mean something (setting completed-when-paid). */
    private static Inbound hubOrderChanged(String orderId, CloverNotification.Event event, JsonNode order,
                                           String hubOrderId, String paymentState, AdapterContext adapter) {
        boolean paid = isPaid(order);
        if (paid && Boolean.parseBoolean(adapter.setting("completed-when-paid").orElse("false"))) {
            return new Inbound.OrderUpdate(orderId, OrderStatus.COMPLETED, "paid in Clover");
        }
        return new Inbound.Ignored("Clover order " + orderId + " " + event.type() + " is the hub's order "
                + hubOrderId + (event.type().equals("CREATE") ? " (created by the pos stage)" : "")
                + ": state " + CloverJson.text(order, "state") + ", payment " + paymentState
                + "; nothing the hub tracks" + (paid ? " (payment is not a kitchen status: completed-when-paid "
                + "is off)" : ""));
    }

    /** An order rung up at the register: a new hub order once it is ready to take, else why not yet. */
    private static Inbound walkIn(String orderId, JsonNode order, Menu.Location location, TranslationContext context,
                                  AdapterContext adapter) {
        String state = CloverJson.nonBlank(CloverJson.text(order, "state"));
        if (state == null) {
            return new Inbound.Ignored("Clover order " + orderId + " has no state: a hidden order (not shown at "
                    + "the register, only reachable by its id); not taken");
        }
        if (CloverJson.flag(order, "manualTransaction")) {
            return new Inbound.Ignored("Clover order " + orderId + " is a manual transaction (an amount keyed in "
                    + "without items): nothing for the kitchen");
        }
        List<JsonNode> lineItems = CloverJson.elements(order.get("lineItems")).stream()
                .filter(li -> !CloverJson.flag(li, "refunded") && !CloverJson.flag(li, "exchanged")).toList();
        if (lineItems.isEmpty()) {
            return new Inbound.Ignored("Clover order " + orderId + " has no line items yet (opened at the register)");
        }
        String when = adapter.setting("walk-in-take-when").orElse("paid");
        if (!"rung-up".equals(when) && !isPaid(order)) {
            return new Inbound.Ignored("Clover order " + orderId + " is not paid yet (state " + state + ", payment "
                    + CloverJson.text(order, "paymentState") + "): a walk-in order is taken once Clover reports it "
                    + "paid (setting walk-in-take-when: paid)");
        }
        return new Inbound.NewOrder(new CloverOrderMapper(adapter, location, orderId).map(order, lineItems, context));
    }

    /** Paid: {@code paymentState} PAID; for answers without it, {@code state} "locked" (set when paid). */
    private static boolean isPaid(JsonNode order) {
        String paymentState = CloverJson.text(order, "paymentState");
        return paymentState != null ? "PAID".equals(paymentState)
                : "locked".equalsIgnoreCase(CloverJson.text(order, "state"));
    }

    /** Clover has no endpoint for what the hub does with an order (accept, reject, kitchen statuses). */
    @Override
    public Optional<VendorCall> statusCall(OrderEvent event, AdapterContext adapter) {
        return Optional.empty();
    }

    /**
     * Clover's GET of the first merchant the hub serves, with that merchant's token (asked when a 500 opens the
     * circuit; the answer is not read).
     */
    @Override
    public Optional<VendorCall> healthCall(AdapterContext adapter) {
        List<String> merchants = adapter.storeIds();
        if (merchants.isEmpty()) {
            return Optional.empty();
        }
        String merchant = CloverJson.safeId(merchants.get(0), "merchant id");
        return Optional.of(new VendorCall("GET", "/v3/merchants/" + merchant, null, merchantAuth(merchant, adapter)));
    }

    /**
     * A new hub order of a location that runs Clover: created in Clover with one atomic-order call. Clover documents
     * no idempotency key for this endpoint: the kit's Idempotency-Key header is sent, Clover is not known to honour
     * it (README). A hub order cancelled after that: its Clover order is deleted ({@link #deleteCall}). Other events
     * need no call (Clover orders have no status the hub could set).
     */
    @Override
    public Optional<VendorCall> posCall(OrderEvent event, String idempotencyKey, AdapterContext adapter) {
        if (event.order() != null && OrderEvent.STATUS_CHANGED.equals(event.type())
                && event.order().status() == OrderStatus.CANCELLED) {
            return deleteCall(event, adapter);
        }
        if (!OrderEvent.CREATED.equals(event.type()) || event.order() == null) {
            return Optional.empty();
        }
        String merchant = CloverJson.safeId(adapter.storeOf(event.order().locationId()).orElseThrow(() ->
                new PermanentFailure("no Clover merchant for hub location " + event.order().locationId())),
                "merchant id");
        return Optional.of(new VendorCall("POST", "/v3/merchants/" + merchant + "/atomic_order/orders",
                CloverOrderRequest.body(event.order(), adapter), merchantAuth(merchant, adapter)));
    }

    /**
     * A cancelled hub order that the hub itself put into Clover: {@code DELETE /v3/merchants/{mId}/orders/{id}}
     * ("Delete an order"; no body), at the merchant and with the Clover order id remembered from Clover's answer to
     * the atomic create. Clover orders have no cancelled or void state (their {@code state} is for display only), so
     * deleting is how an order leaves the register's open orders. Never for an order rung up at the register (source
     * clover: the kit does not even ask, PosDelivery), nor without the remembered id: the hub deletes only what it
     * created. None when setting {@code cancel-deletes-order} is "false" (staff delete it at the register). No id
     * yet (the atomic create is still being retried): the delete waits ({@link #WAIT_FOR_CREATE}) and looks again,
     * for free while Clover's circuit is open, else as one of the stage's attempts.
     */
    private static Optional<VendorCall> deleteCall(OrderEvent event, AdapterContext adapter) {
        if (adapter.id().equals(event.order().source())) {
            // a walk-in: Clover's own order, never deleted by the hub
            return Optional.empty();
        }
        if (!Boolean.parseBoolean(adapter.setting("cancel-deletes-order").orElse("true").trim())) {
            log.info("Hub order {} is cancelled; its Clover order is left for staff (cancel-deletes-order is off)",
                    event.orderId());
            return Optional.empty();
        }
        Optional<VendorOrderRefs.Ref> found = adapter.orderRef(event.orderId());
        if (found.isEmpty()) {
            // while Clover's circuit is open the create waits for free, and so does its delete; otherwise each wait
            // is an attempt, so a create that never gets in (dead-lettered) leaves a dead letter here too
            CircuitBreaker.State circuit = adapter.api().resilience().state();
            boolean cloverDown = circuit == CircuitBreaker.State.OPEN || circuit == CircuitBreaker.State.FORCED_OPEN;
            throw new RetryLater("clover: no Clover order id is remembered for hub order " + event.orderId()
                    + ": its atomic order is not in Clover yet, and its delete waits for it (if Clover's answer to "
                    + "the create named no id, the hub cannot delete it: staff delete it at the register)",
                    WAIT_FOR_CREATE, !cloverDown);
        }
        var ref = found.get();
        String id = CloverJson.safeId(ref.vendorOrderId(), "remembered Clover order id");
        String remembered = dataField(ref.data(), "merchantId", adapter);
        String merchant = CloverJson.isSafeId(remembered) ? remembered : CloverJson.safeId(adapter.storeOf(
                event.order().locationId()).orElseThrow(() -> new PermanentFailure("no Clover merchant for hub "
                + "location " + event.order().locationId())), "merchant id");
        return Optional.of(new VendorCall("DELETE", "/v3/merchants/" + merchant + "/orders/" + id, null,
                merchantAuth(merchant, adapter)));
    }

    /** A text field of the data remembered with an order ({@code {"merchantId": ...}}); null when absent. */
    private static String dataField(String data, String field, AdapterContext adapter) {
        if (data == null || data.isBlank()) {
            return null;
        }
        try {
            JsonNode node = adapter.json().readTree(data);
            return node == null ? null : CloverJson.text(node, field);
        } catch (java.io.IOException unreadable) {
            return null;
        }
    }

    /**
     * Clover's OAuth access tokens belong to one merchant: a call to merchant {@code mId} carries that merchant's
     * token (setting {@code merchants.<mId>.api-token}, environment
     * {@code ORDERHUB_ADAPTERS_CLOVER_MERCHANTS_<MID>_API_TOKEN}) in place of the kit's bearer {@code api-token};
     * without one, the kit's {@code api-token} (a hub with one merchant) is sent.
     */
    static Map<String, String> merchantAuth(String merchant, AdapterContext adapter) {
        return adapter.setting("merchants." + merchant + ".api-token")
                .map(token -> Map.of("Authorization", "Bearer " + token)).orElse(Map.of());
    }

    /** A GET of one merchant's resource, with that merchant's token; empty when Clover answers 404. */
    private static Optional<JsonNode> getJson(String merchant, String path, AdapterContext adapter) {
        VendorApi.Response r = adapter.api().send(new VendorCall("GET", path, null, merchantAuth(merchant, adapter)),
                null);
        if (r.status() == NOT_FOUND) {
            return Optional.empty();
        }
        try {
            JsonNode body = adapter.json().readTree(r.body());
            return Optional.of(body == null ? MissingNode.getInstance() : body);
        } catch (java.io.IOException e) {
            throw new PermanentFailure("clover GET " + path + " answered with a body that is not JSON", e);
        }
    }

    /**
     * Clover answered the create with the order: its id is remembered (and becomes an external id of the hub
     * order), so its webhooks find the hub order. Never throws once Clover made the order: a failure here would
     * make the pos stage create it again; its webhooks are then recognised by the mark in its note. A 404 (listed
     * as "already done" for the delete's sake) made no order: the create's dead letter, with Clover's answer.
     * The delete's answer: done, a 404 included (the order is already gone); the reference stays, so Clover's
     * DELETE webhook of that order finds the hub order (already cancelled: nothing moves).
     */
    @Override
    public void posAnswered(OrderEvent event, VendorCall call, VendorApi.Response response, AdapterContext adapter) {
        if ("DELETE".equals(call.method())) {
            if (response.status() == NOT_FOUND) {
                log.info("Clover had no order at {} for cancelled hub order {} (404): already deleted, nothing to "
                        + "do. If every delete of this merchant answers 404, check that the api-token is the "
                        + "merchant's", call.path(), event.orderId());
            }
            return;
        }
        if (response.status() == NOT_FOUND) {
            throw new PermanentFailure("clover " + call.method() + " " + call.path() + " answered 404: "
                    + CloverJson.clip(response.body(), 500));
        }
        String id = null;
        try {
            JsonNode answer = adapter.json().readTree(response.body() == null ? "" : response.body());
            id = answer == null ? null : CloverJson.text(answer, "id");
        } catch (java.io.IOException | RuntimeException unreadable) {
            log.error("Clover answered the create of hub order {} with a body that is not JSON: {}", event.orderId(),
                    unreadable.toString());
        }
        if (!CloverJson.isSafeId(id)) {
            log.error("Clover created hub order {} but its answer names no order id; its webhooks are recognised by "
                    + "the OrderHub mark in the Clover order's note", event.orderId());
            return;
        }
        String merchant = call.path().replaceFirst("^/v3/merchants/([^/]+)/.*$", "$1");
        adapter.rememberOrder(event.orderId(), id, null, "{\"merchantId\":\"" + merchant + "\"}");
    }
}
