package square;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.adapter.AdapterContext;
import io.orderhub.adapter.Inbound;
import io.orderhub.adapter.VendorAdapter;
import io.orderhub.adapter.VendorApi;
import io.orderhub.adapter.VendorCall;
import io.orderhub.adapter.VendorOrderRefs;
import io.orderhub.menu.Menu;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.model.Money;
import io.orderhub.model.OrderStatus;
import io.orderhub.model.OrderType;
import io.orderhub.order.OrderEvent;
import io.orderhub.pipeline.PermanentFailure;
import io.orderhub.pipeline.TransientFailure;
import io.orderhub.support.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Square as the restaurant's POS (Orders API, webhooks). Out: a new hub order becomes a Square order (CreateOrder,
 * POST /v2/orders) at the Square location mapped to the hub location, and the hub's later statuses move its
 * fulfilment (UpdateOrder, PUT /v2/orders/{id}, at the order's current version). In: Square's order webhooks are
 * thin, so the order is fetched; an order the hub put into Square gives its new status, any other order (rung up at
 * the POS, placed on Square Online) is a new hub order. Money is Square's {@code Money{amount (minor units),
 * currency}}, the canonical model's own convention, so amounts pass unchanged. See README.md for the field mapping.
 */
public class SquareAdapter implements VendorAdapter {

    /** Square's limit on {@code idempotency_key} (CreateOrderRequest, UpdateOrderRequest). */
    private static final int MAX_IDEMPOTENCY_KEY = 192;
    /** RFC 3339 with seconds always written (OffsetDateTime.toString drops zero seconds). */
    private static final java.time.format.DateTimeFormatter RFC3339 =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    /** Square object ids go into URL paths: nothing else may. */
    private static final Pattern SQUARE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** CreateOrder's {@code source.name} for the hub's own orders ("OrderHub doordash"). */
    private static final String HUB_SOURCE = "OrderHub";

    static final String ORDER_CREATED = "order.created";
    static final String ORDER_UPDATED = "order.updated";
    static final String FULFILLMENT_UPDATED = "order.fulfillment.updated";
    static final String REFUND_CREATED = "refund.created";
    static final String REFUND_UPDATED = "refund.updated";

    /** Fulfilment states in the order Square moves them forward; CANCELED and FAILED end a fulfilment anywhere. */
    private static final List<String> FORWARD = List.of("PROPOSED", "RESERVED", "PREPARED", "COMPLETED");

    @Override
    public Optional<String> eventKey(Webhook webhook) {
        JsonNode id = webhook.json() == null ? null : webhook.json().get("event_id");
        return id != null && id.isTextual() && !id.asText().isBlank() ? Optional.of(id.asText()) : Optional.empty();
    }

    // ------------------------------------------------------------------------------------------------ webhooks in

    @Override
    public Inbound translate(String payload, TranslationContext context, AdapterContext adapter) {
        JsonNode event = adapter.readObject(payload, "webhook body");
        String type = text(event, "type");
        if (type == null) {
            throw new PermanentFailure("square: webhook has no type (not a Square event notification)");
        }
        JsonNode data = event.path("data");
        return switch (type) {
            case ORDER_CREATED, ORDER_UPDATED, FULFILLMENT_UPDATED -> order(type, data, context, adapter);
            case REFUND_CREATED, REFUND_UPDATED -> refund(data, adapter);
            default -> new Inbound.Ignored(type.startsWith("payment.")
                    ? "Square " + type + " (payment " + Text.clip(text(data, "id"), 64) + "): payments are references "
                    + "the hub does not act on yet"
                    : "Square event " + Text.clip(type, 64) + " needs nothing from the hub");
        };
    }

    /** order.created / order.updated / order.fulfillment.updated: thin, so the order itself is fetched. */
    private static Inbound order(String type, JsonNode data, TranslationContext context, AdapterContext adapter) {
        String orderId = null;
        JsonNode object = data.path("object");
        for (JsonNode inner : object) {
            if (inner.isObject() && text(inner, "order_id") != null) {
                orderId = text(inner, "order_id");
                break;
            }
        }
        if (orderId == null) {
            orderId = text(data, "id");
        }
        orderId = squareId(orderId, "square: " + type + " names no order (data.object.*.order_id)");
        JsonNode order = retrieve(orderId, adapter);

        Optional<VendorOrderRefs.Ref> ref = adapter.orderRefByVendorId(orderId);
        if (ref.isPresent() || hubsOwn(order)) {
            return hubOrderMoved(order, orderId, ref, adapter);
        }

        String locationId = text(order, "location_id");
        Optional<Menu.Location> location = adapter.locationForStore(locationId);
        if (location.isEmpty()) {
            return new Inbound.Ignored("Square location " + Text.clip(locationId, 64) + " of order " + orderId
                    + " is not a hub location (orderhub.adapters.square.stores)");
        }
        String state = text(order, "state");
        JsonNode fulfillment = firstFulfillment(order);
        String fulfillmentState = fulfillment == null ? null : text(fulfillment, "state");
        // a later change of an order the hub already took from Square (found by its Square id as external id)
        if ("CANCELED".equals(state)) {
            return new Inbound.OrderUpdate(orderId, OrderStatus.CANCELLED, "cancelled in Square (order CANCELED)");
        }
        if (fulfillmentState != null) {
            switch (fulfillmentState) {
                case "PREPARED" -> {
                    return new Inbound.OrderUpdate(orderId, OrderStatus.READY,
                            "marked ready in Square (fulfillment PREPARED)");
                }
                case "COMPLETED" -> {
                    return new Inbound.OrderUpdate(orderId, OrderStatus.COMPLETED,
                            "completed in Square (fulfillment COMPLETED)");
                }
                case "CANCELED", "FAILED" -> {
                    return new Inbound.OrderUpdate(orderId, OrderStatus.CANCELLED,
                            "cancelled in Square (fulfillment " + fulfillmentState + ")");
                }
                default -> {
                }
            }
        }
        if ("DRAFT".equals(state)) {
            return new Inbound.Ignored("Square order " + orderId + " is a DRAFT: not placed yet");
        }
        if (fulfillment != null && "SHIPMENT".equals(text(fulfillment, "type"))) {
            return new Inbound.Ignored("Square order " + orderId + " is shipped (SHIPMENT): not a kitchen order");
        }
        // rung up at the POS or placed on Square Online: a new hub order (the same order again is one order)
        return new Inbound.NewOrder(new SquareOrderMapper(adapter, context).map(order, orderId, location.get(),
                fulfillment));
    }

    /** An order the hub put into Square: its fulfilment (or the order) moved in Square. */
    private static Inbound hubOrderMoved(JsonNode order, String orderId, Optional<VendorOrderRefs.Ref> ref,
                                         AdapterContext adapter) {
        String uid = ref.map(r -> dataField(r.data(), "fulfillment_uid", adapter)).orElse(null);
        JsonNode fulfillment = fulfillment(order, uid);
        if (fulfillment == null) {
            fulfillment = firstFulfillment(order);
        }
        String version = version(order);
        // Square's versions only grow; an older read never replaces a newer version the hub already has
        ref.filter(r -> newer(version, r.version())).ifPresent(r ->
                adapter.rememberOrder(r.orderId(), orderId, version, r.data()));
        String state = text(order, "state");
        String hubOrder = ref.map(r -> r.orderId().toString()).orElse(text(order, "reference_id"));
        if ("CANCELED".equals(state)) {
            return new Inbound.OrderUpdate(orderId, OrderStatus.CANCELLED, "cancelled in Square (order CANCELED)");
        }
        if (fulfillment == null) {
            if ("COMPLETED".equals(state)) {
                return new Inbound.OrderUpdate(orderId, OrderStatus.COMPLETED, "completed in Square (order COMPLETED)");
            }
            return new Inbound.Ignored("Square order " + orderId + " (hub order " + hubOrder + ") is "
                    + Text.clip(state, 16) + " with no fulfilment: nothing new for the hub");
        }
        String fulfillmentState = text(fulfillment, "state");
        if (fulfillmentState == null) {
            throw new PermanentFailure("square: order " + orderId + " fulfillment has no state");
        }
        return switch (fulfillmentState) {
            case "PROPOSED" -> new Inbound.Ignored("Square order " + orderId + " (hub order " + hubOrder
                    + "): fulfillment still PROPOSED, nothing new for the hub");
            case "RESERVED" -> new Inbound.OrderUpdate(orderId, OrderStatus.IN_PREPARATION,
                    "accepted in Square (fulfillment RESERVED)");
            case "PREPARED" -> new Inbound.OrderUpdate(orderId, OrderStatus.READY,
                    "marked ready in Square (fulfillment PREPARED)");
            case "COMPLETED" -> new Inbound.OrderUpdate(orderId, OrderStatus.COMPLETED,
                    "completed in Square (fulfillment COMPLETED)");
            case "CANCELED", "FAILED" -> new Inbound.OrderUpdate(orderId, OrderStatus.CANCELLED,
                    "cancelled in Square (fulfillment " + fulfillmentState + ")");
            default -> throw new PermanentFailure("square: order " + orderId + " fulfillment state '"
                    + Text.clip(fulfillmentState, 32) + "' is not a Square fulfillment state");
        };
    }

    /** The hub's own CreateOrder: source "OrderHub <channel>" and the hub order id as reference_id. */
    private static boolean hubsOwn(JsonNode order) {
        String source = text(order.path("source"), "name");
        String reference = text(order, "reference_id");
        if (source == null || reference == null || !(source.equals(HUB_SOURCE) || source.startsWith(HUB_SOURCE + " "))) {
            return false;
        }
        try {
            UUID.fromString(reference);
            return true;
        } catch (IllegalArgumentException notOurs) {
            return false;
        }
    }

    /**
     * refund.created / refund.updated (the full Refund object): a COMPLETED refund that, with the order's earlier
     * completed refunds, covers the order's total makes it refunded; a partial refund changes nothing in the hub.
     */
    private static Inbound refund(JsonNode data, AdapterContext adapter) {
        JsonNode refund = data.path("object").path("refund");
        if (!refund.isObject()) {
            throw new PermanentFailure("square: refund event without data.object.refund");
        }
        String refundId = text(refund, "id") == null ? "(no id)" : Text.clip(text(refund, "id"), 64);
        String status = text(refund, "status");
        if (!"COMPLETED".equals(status)) {
            return new Inbound.Ignored("Square refund " + refundId + " is " + Text.clip(status, 16)
                    + ": the hub acts on COMPLETED refunds only");
        }
        if (text(refund, "order_id") == null) {
            return new Inbound.Ignored("Square refund " + refundId + " names no order");
        }
        String orderId = squareId(text(refund, "order_id"), "square: refund " + refundId + " order_id is not an id");
        Money amount = money(refund.get("amount_money"), "refund " + refundId + " amount_money");
        JsonNode order = retrieve(orderId, adapter);
        Money total = money(order.get("total_money"), "order " + orderId + " total_money");
        if (!total.currency().equals(amount.currency())) {
            throw new PermanentFailure("square: refund " + refundId + " is in " + amount.currency() + ", order "
                    + orderId + " in " + total.currency());
        }
        Money refunded = amount;
        for (JsonNode earlier : order.path("refunds")) {
            if ("COMPLETED".equals(text(earlier, "status")) && !refundId.equals(text(earlier, "id"))
                    && earlier.get("amount_money") != null) {
                Money m = money(earlier.get("amount_money"), "order " + orderId + " refund amount_money");
                if (m.currency().equals(total.currency())) {
                    refunded = refunded.plus(m);
                }
            }
        }
        String reason = Text.clip(text(refund, "reason"), 200);
        if (refunded.amount() < total.amount()) {
            return new Inbound.Ignored("Square refund " + refundId + " of " + amount.toMajor() + " "
                    + amount.currency() + " is partial (" + refunded.toMajor() + " of " + total.toMajor()
                    + " refunded): the hub's refunded status means the whole order");
        }
        return new Inbound.OrderUpdate(orderId, OrderStatus.REFUNDED, "refunded in Square (refund " + refundId
                + (reason == null ? "" : ": " + reason) + ")");
    }

    // --------------------------------------------------------------------------------------- the hub's statuses out

    /**
     * An order that came from Square ({@code source} square). Square cannot update orders made in its Point of Sale
     * app, so those (channel pos) are told nothing; an order placed through the Orders API (Square Online: channel
     * web) is accepted (fulfilment PROPOSED -> RESERVED) and then follows the hub's statuses. A rejection is not
     * sent: the hub rejects a Square order for a menu mapping gap far more often than for a real impossibility, and
     * cancelling a guest's paid order for that would be worse than leaving it to the staff.
     */
    @Override
    public Optional<VendorCall> statusCall(OrderEvent event, AdapterContext adapter) {
        CanonicalOrder order = event.order();
        if (order == null || "pos".equals(order.channel())) {
            return Optional.empty();
        }
        Optional<String> squareOrderId = adapter.vendorOrderId(order);
        if (squareOrderId.isEmpty()) {
            return Optional.empty();
        }
        String target = switch (event.type()) {
            case OrderEvent.CREATED -> "RESERVED";
            case OrderEvent.STATUS_CHANGED -> targetState(order.status());
            default -> null;
        };
        if (target == null) {
            return Optional.empty();
        }
        String id = squareId(squareOrderId.get(), "square: order " + order.id() + " has a Square id that is not one");
        return updateOrder(id, target, null, adapter.storeOf(order.locationId()).orElse(null),
                idempotencyKey(adapter.id() + ":" + event.eventId()), adapter);
    }

    /** Square's ListLocations: the seller's locations, no order data (asked when a 500 opens the circuit). */
    @Override
    public Optional<VendorCall> healthCall(AdapterContext adapter) {
        return Optional.of(new VendorCall("GET", "/v2/locations", null,
                Map.of("Square-Version", adapter.requiredSetting("square-version"))));
    }

    @Override
    public Optional<VendorCall> posCall(OrderEvent event, String idempotencyKey, AdapterContext adapter) {
        if (OrderEvent.CREATED.equals(event.type())) {
            return createOrder(event, idempotencyKey, adapter);
        }
        if (!OrderEvent.STATUS_CHANGED.equals(event.type()) || event.order() == null) {
            return Optional.empty();
        }
        String target = targetState(event.order().status());
        if (target == null) {
            return Optional.empty();
        }
        // the status would be lost without the Square order: CreateOrder is in flight or being retried
        VendorOrderRefs.Ref ref = adapter.orderRef(event.orderId()).orElseThrow(() ->
                new TransientFailure("square order not created yet (hub order " + event.orderId() + ", status "
                        + event.order().status().wire() + ")"));
        String id = squareId(ref.vendorOrderId(), "square: remembered Square order id of hub order "
                + event.orderId() + " is not an id");
        String location = dataField(ref.data(), "location_id", adapter);
        return updateOrder(id, target, dataField(ref.data(), "fulfillment_uid", adapter),
                location != null ? location : adapter.storeOf(event.order().locationId()).orElse(null),
                idempotencyKey(idempotencyKey), adapter);
    }

    /**
     * The hub's status as a Square fulfilment state: in_preparation RESERVED, ready PREPARED, completed COMPLETED,
     * cancelled CANCELED. None for accepted (the order went in as PROPOSED), dispatched (Square's fulfilment has no
     * out-for-delivery state) and refunded (a refund in Square is a Refunds API call on a Square payment; the hub's
     * orders from other channels were not paid in Square).
     */
    static String targetState(OrderStatus status) {
        return switch (status) {
            case IN_PREPARATION -> "RESERVED";
            case READY -> "PREPARED";
            case COMPLETED -> "COMPLETED";
            case CANCELLED -> "CANCELED";
            default -> null;
        };
    }

    /**
     * UpdateOrder moving the order's fulfilment to {@code target}, at the order's current version: Square documents
     * retrieving the order immediately before UpdateOrder (its version also moves by itself, e.g. after a payment),
     * so the call is built from a fresh RetrieveOrder rather than the version remembered from the last answer. None
     * when Square's order is closed (COMPLETED or CANCELED orders cannot be updated) or its fulfilment is already
     * there or past it (staff moved it at the POS, or this is a redelivery).
     */
    private static Optional<VendorCall> updateOrder(String squareOrderId, String target, String fulfillmentUid,
                                                    String fallbackLocation, String key, AdapterContext adapter) {
        JsonNode current = retrieve(squareOrderId, adapter);
        String state = text(current, "state");
        if ("COMPLETED".equals(state) || "CANCELED".equals(state)) {
            return Optional.empty();
        }
        JsonNode version = current.get("version");
        if (version == null || !version.isIntegralNumber()) {
            throw new PermanentFailure("square: order " + squareOrderId + " has no version to update");
        }
        JsonNode fulfillment = fulfillment(current, fulfillmentUid);
        String uid = fulfillment != null ? text(fulfillment, "uid") : fulfillmentUid;
        boolean cancel = "CANCELED".equals(target);
        Map<String, Object> order = new LinkedHashMap<>();
        String location = text(current, "location_id") != null ? text(current, "location_id") : fallbackLocation;
        if (location == null) {
            throw new PermanentFailure("square: no Square location for order " + squareOrderId);
        }
        order.put("location_id", location);
        order.put("version", version.asLong());
        if (uid == null) {
            // no fulfilment (a dine-in order): only a cancellation has something to move
            if (!cancel) {
                return Optional.empty();
            }
        } else {
            if (!advances(fulfillment == null ? null : text(fulfillment, "state"), target)) {
                return Optional.empty();
            }
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("uid", uid);
            f.put("state", target);
            order.put("fulfillments", List.of(f));
        }
        if (cancel) {
            order.put("state", "CANCELED");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("idempotency_key", key);
        body.put("order", order);
        return Optional.of(new VendorCall("PUT", "/v2/orders/" + squareOrderId, body,
                Map.of("Square-Version", adapter.requiredSetting("square-version"))));
    }

    /** Forward only: PROPOSED, RESERVED, PREPARED, COMPLETED; CANCELED from any open state; nothing after an end. */
    private static boolean advances(String current, String target) {
        if (current == null) {
            return true;
        }
        if (!FORWARD.contains(current) || "COMPLETED".equals(current)) {
            return false;
        }
        return "CANCELED".equals(target) || FORWARD.indexOf(target) > FORWARD.indexOf(current);
    }

    /**
     * Square's answer to the hub's call: CreateOrder's order id, version and fulfilment uid, or UpdateOrder's new
     * version, remembered for the order's later updates and for Square's webhooks about it.
     */
    @Override
    public void posAnswered(OrderEvent event, VendorCall call, VendorApi.Response response, AdapterContext adapter) {
        boolean created = "POST".equals(call.method());
        String what = created ? "CreateOrder answer" : "UpdateOrder answer";
        JsonNode order = adapter.readObject(response.body(), what).path("order");
        String version = version(order);
        if (created) {
            String id = squareId(text(order, "id"), "square: " + what + " for hub order " + event.orderId()
                    + " has no order.id");
            JsonNode fulfillment = firstFulfillment(order);
            adapter.rememberOrder(event.orderId(), id, version, data(fulfillment == null ? null
                    : text(fulfillment, "uid"), text(order, "location_id"), adapter));
            return;
        }
        adapter.orderRef(event.orderId()).filter(ref -> newer(version, ref.version())).ifPresent(ref ->
                adapter.rememberOrder(event.orderId(), ref.vendorOrderId(), version, ref.data()));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** RetrieveOrder: {@code GET /v2/orders/{id}} answers {@code {"order": {...}}}. */
    private static JsonNode retrieve(String orderId, AdapterContext adapter) {
        VendorApi.Response r = adapter.api().send(new VendorCall("GET", "/v2/orders/" + orderId, null,
                Map.of("Square-Version", adapter.requiredSetting("square-version"))), null);
        JsonNode order = adapter.readObject(r.body(), "RetrieveOrder answer").get("order");
        if (order == null || !order.isObject()) {
            throw new PermanentFailure("square: GET /v2/orders/" + orderId + " answered without an order");
        }
        return order;
    }

    private static String squareId(String id, String otherwise) {
        if (id == null || !SQUARE_ID.matcher(id).matches()) {
            throw new PermanentFailure(otherwise);
        }
        return id;
    }

    private static JsonNode firstFulfillment(JsonNode order) {
        JsonNode list = order.get("fulfillments");
        if (list == null || !list.isArray() || list.isEmpty() || !list.get(0).isObject()) {
            return null;
        }
        return list.get(0);
    }

    /** The fulfilment with this uid (the one the hub created; none if it is not there), else the order's first. */
    private static JsonNode fulfillment(JsonNode order, String uid) {
        if (uid != null) {
            for (JsonNode f : order.path("fulfillments")) {
                if (uid.equals(text(f, "uid"))) {
                    return f;
                }
            }
            return null;
        }
        return firstFulfillment(order);
    }

    private static boolean newer(String version, String than) {
        if (version == null) {
            return false;
        }
        try {
            return than == null || Long.parseLong(version) > Long.parseLong(than);
        } catch (NumberFormatException unreadable) {
            return true;
        }
    }

    private static String version(JsonNode order) {
        JsonNode v = order.get("version");
        return v != null && v.isIntegralNumber() ? v.asText() : null;
    }

    private static String data(String fulfillmentUid, String locationId, AdapterContext adapter) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (fulfillmentUid != null) {
            data.put("fulfillment_uid", fulfillmentUid);
        }
        if (locationId != null) {
            data.put("location_id", locationId);
        }
        try {
            return adapter.json().writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String dataField(String data, String field, AdapterContext adapter) {
        if (data == null || data.isBlank()) {
            return null;
        }
        try {
            return text(adapter.json().readTree(data), field);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Money money(JsonNode m, String what) {
        JsonNode amount = m == null ? null : m.get("amount");
        String currency = text(m, "currency");
        if (amount == null || !amount.isIntegralNumber() || !amount.canConvertToLong() || currency == null
                || !currency.matches("[A-Z]{3}")) {
            throw new PermanentFailure("square: " + what + " is not a Money {amount, currency}");
        }
        return Money.ofMinor(amount.asLong(), currency);
    }

    /** The canonical channel of an order from Square: its {@code source.name} (Square Online, else the POS). */
    static String channel(JsonNode order) {
        String source = text(order.path("source"), "name");
        if (source != null && source.toLowerCase(java.util.Locale.ROOT).contains("online")) {
            return "web";
        }
        return "pos";
    }

    private static String idempotencyKey(String key) {
        return key.length() <= MAX_IDEMPOTENCY_KEY ? key : key.substring(key.length() - MAX_IDEMPOTENCY_KEY);
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }

    /** CreateOrder: the hub's new order into Square (unchanged since the first release; golden *.pos-call.json). */
    private static Optional<VendorCall> createOrder(OrderEvent event, String idempotencyKey, AdapterContext adapter) {
        CanonicalOrder order = event.order();
        String location = adapter.storeOf(order.locationId())
                .orElseThrow(() -> new PermanentFailure("no Square location for hub location " + order.locationId()));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("location_id", location);
        o.put("reference_id", order.id().toString());
        o.put("source", Map.of("name", "OrderHub " + order.channel()));
        if (order.displayId() != null) {
            o.put("ticket_name", order.displayId());
        }
        List<Object> lines = new ArrayList<>();
        for (CanonicalOrder.OrderLine line : order.lines()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("uid", line.lineId());
            l.put("name", line.name());
            l.put("quantity", Integer.toString(line.quantity()));
            l.put("base_price_money", money(line.unitPrice()));
            String note = note(line.notes(), line.allergies());
            if (note != null) {
                l.put("note", note);
            }
            List<Object> modifiers = new ArrayList<>();
            flatten(line.modifiers(), "", 1, modifiers);
            if (!modifiers.isEmpty()) {
                l.put("modifiers", modifiers);
            }
            lines.add(l);
        }
        o.put("line_items", lines);
        CanonicalOrder.Charges charges = order.charges();
        if (charges != null && charges.discounts() != null && !charges.discounts().isEmpty()) {
            List<Object> discounts = new ArrayList<>();
            for (CanonicalOrder.Adjustment d : charges.discounts()) {
                discounts.add(Map.of("uid", "discount-" + d.code(), "name", label(d), "type", "FIXED_AMOUNT",
                        "amount_money", money(new Money(Math.abs(d.amount().amount()), d.amount().currency())), "scope", "ORDER"));
            }
            o.put("discounts", discounts);
        }
        if (charges != null && charges.fees() != null && !charges.fees().isEmpty()) {
            List<Object> fees = new ArrayList<>();
            for (CanonicalOrder.Adjustment f : charges.fees()) {
                fees.add(Map.of("uid", "fee-" + f.code(), "name", label(f), "amount_money", money(f.amount()),
                        "calculation_phase", "SUBTOTAL_PHASE"));
            }
            o.put("service_charges", fees);
        }
        fulfillment(order).ifPresent(f -> o.put("fulfillments", List.of(f)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("idempotency_key", idempotencyKey(idempotencyKey));
        body.put("order", o);
        return Optional.of(new VendorCall("POST", "/v2/orders", body,
                Map.of("Square-Version", adapter.requiredSetting("square-version"))));
    }

    /** Square modifiers are a flat list: a nested option becomes "Parent / Child", its quantity multiplied. */
    private static void flatten(List<CanonicalOrder.Modifier> modifiers, String path, int outer, List<Object> out) {
        if (modifiers == null) {
            return;
        }
        for (CanonicalOrder.Modifier m : modifiers) {
            int quantity = m.quantity() * outer;
            String name = path.isEmpty() ? m.name() : path + " / " + m.name();
            Map<String, Object> sq = new LinkedHashMap<>();
            sq.put("name", name);
            sq.put("quantity", Integer.toString(quantity));
            sq.put("base_price_money", money(m.unitPrice()));
            out.add(sq);
            flatten(m.modifiers(), name, Math.max(quantity, 1), out);
        }
    }

    private static Optional<Map<String, Object>> fulfillment(CanonicalOrder order) {
        if (order.type() == OrderType.DINE_IN) {
            return Optional.empty();
        }
        Map<String, Object> recipient = new LinkedHashMap<>();
        if (order.customer() != null) {
            if (order.customer().name() != null) {
                recipient.put("display_name", order.customer().name());
            }
            if (order.customer().phone() != null) {
                recipient.put("phone_number", phoneNumber(order.customer().phone()));
            }
        }
        if (!recipient.containsKey("display_name")) {
            // Square shows the recipient's name on the ticket; without a customer name, the channel's order number
            recipient.put("display_name", order.channel() + " " + (order.displayId() == null ? "order"
                    : order.displayId()));
        }
        String when = order.fulfilment() == null || order.fulfilment().scheduledFor() == null ? null
                : RFC3339.format(order.fulfilment().scheduledFor());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("schedule_type", when == null ? "ASAP" : "SCHEDULED");
        String access = order.customer() == null ? null : phoneAccessCode(order.customer().phone());
        if (access != null) {
            // a delivery platform's masked line: staff dial the number, then the code
            details.put("note", "Customer phone: " + order.customer().phone());
        }
        Map<String, Object> f = new LinkedHashMap<>();
        if (order.type() == OrderType.DELIVERY) {
            var a = order.fulfilment() == null ? null : order.fulfilment().address();
            if (a != null) {
                Map<String, Object> address = new LinkedHashMap<>();
                address.put("address_line_1", a.line1());
                address.put("address_line_2", a.line2());
                address.put("locality", a.city());
                address.put("postal_code", a.postalCode());
                address.put("country", a.country());
                address.values().removeIf(java.util.Objects::isNull);
                recipient.put("address", address);
            }
            if (when != null) {
                details.put("deliver_at", when);
            }
            details.put("recipient", recipient);
            f.put("type", "DELIVERY");
            f.put("state", "PROPOSED");
            f.put("delivery_details", details);
        } else {
            if (when != null) {
                details.put("pickup_at", when);
            }
            if (order.type() == OrderType.CURBSIDE) {
                details.put("is_curbside_pickup", true);
            }
            details.put("recipient", recipient);
            f.put("type", "PICKUP");
            f.put("state", "PROPOSED");
            f.put("pickup_details", details);
        }
        return Optional.of(f);
    }

    /** A platform's masked line ("+44 20 3808 0000 (code 842 19 337)"): Square takes the number alone. */
    private static final java.util.regex.Pattern MASKED_LINE =
            java.util.regex.Pattern.compile("^([+0-9][0-9 ().-]*[0-9])\\s*\\((code [0-9 ]+)\\)$");

    private static String phoneNumber(String phone) {
        java.util.regex.Matcher m = MASKED_LINE.matcher(phone.trim());
        return m.matches() ? m.group(1) : phone;
    }

    private static String phoneAccessCode(String phone) {
        if (phone == null) {
            return null;
        }
        java.util.regex.Matcher m = MASKED_LINE.matcher(phone.trim());
        return m.matches() ? m.group(2) : null;
    }

    private static Map<String, Object> money(Money m) {
        return Map.of("amount", m.amount(), "currency", m.currency());
    }

    private static String label(CanonicalOrder.Adjustment a) {
        return a.description() == null || a.description().isBlank() ? a.code() : a.description();
    }

    private static String note(String notes, List<String> allergies) {
        String allergy = allergies == null || allergies.isEmpty() ? null : "ALLERGY: " + String.join(", ", allergies);
        if (notes == null || notes.isBlank()) {
            return allergy;
        }
        return allergy == null ? notes : allergy + ". " + notes;
    }
}
