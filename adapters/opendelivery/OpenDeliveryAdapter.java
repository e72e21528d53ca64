package opendelivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.orderhub.adapter.AdapterContext;
import io.orderhub.adapter.Inbound;
import io.orderhub.adapter.VendorAdapter;
import io.orderhub.adapter.VendorApi;
import io.orderhub.adapter.VendorCall;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.model.OrderStatus;
import io.orderhub.order.OrderEvent;
import io.orderhub.pipeline.PermanentFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Open Delivery (Abrasel) Order API, as a merchant "Software Service": thin order events arrive by webhook
 * ({@code POST /v1/newEvent}, X-App-Signature) or by polling ({@code GET /v1/events:polling}); a CREATED event
 * fetches {@code GET /v1/orders/{orderId}}; the hub answers with confirm / readyForPickup / dispatch /
 * requestCancellation. Spec: Abrasel-Nacional/docs versions/1.3.0/openapi.yaml (see README).
 */
public class OpenDeliveryAdapter implements VendorAdapter {

    static final String VENDOR = "opendelivery";
    /** Order and event ids are UUIDs in the spec; anything else never goes into a URL path. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9-]{1,100}");
    /** The spec caps an acknowledgment request at 100 events. */
    private static final int ACK_BATCH = 100;

    @Override
    public Optional<String> eventKey(Webhook webhook) {
        JsonNode json = webhook.json();
        if (json == null || !json.path("eventId").isTextual() || json.path("eventId").asText().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(json.path("eventId").asText());
    }

    @Override
    public Inbound translate(String payload, TranslationContext context, AdapterContext adapter) {
        JsonNode event = readTree(adapter, payload, "event");
        String eventType = requiredText(event, "eventType", "event");
        String orderId = requiredText(event, "orderId", "event");
        return switch (eventType) {
            case "CREATED" -> new Inbound.NewOrder(OrderMapper.map(fetchOrder(orderId, adapter), context, adapter));
            case "CANCELLED" -> new Inbound.OrderUpdate(orderId, OrderStatus.CANCELLED, cancelReason(event));
            // The ordering application asks the merchant to accept or deny a cancellation; the order is only
            // cancelled by a later CANCELLED event. The hub does not automate that handshake (README).
            case "ORDER_CANCELLATION_REQUEST", "ORDER_CANCELLATION_REQUESTED" -> new Inbound.Ignored(
                    "Open Delivery " + eventType + " for order " + orderId + ": accept or deny it in the ordering"
                            + " application (acceptCancellation/denyCancellation are not automated)");
            default -> new Inbound.Ignored("Open Delivery " + eventType + " event for order " + orderId
                    + " needs nothing from the hub");
        };
    }

    @Override
    public Optional<VendorCall> statusCall(OrderEvent event, AdapterContext adapter) {
        CanonicalOrder order = event.order();
        if (order == null) {
            return Optional.empty();
        }
        Optional<String> vendorId = adapter.vendorOrderId(order).filter(id -> SAFE_ID.matcher(id).matches());
        if (vendorId.isEmpty()) {
            return Optional.empty();
        }
        String base = "/v1/orders/" + vendorId.get();
        return switch (event.type()) {
            case OrderEvent.CREATED -> Optional.of(VendorCall.of("POST", base + "/confirm", confirmBody(event,
                    adapter)));
            case "order.rejected" -> Optional.of(VendorCall.of("POST", base + "/requestCancellation",
                    cancellationBody(event.reason(), "the restaurant cannot take this order", "AUTO")));
            case OrderEvent.STATUS_CHANGED -> statusChanged(event, order.status(), base, adapter);
            default -> Optional.empty();
        };
    }

    private static Optional<VendorCall> statusChanged(OrderEvent event, OrderStatus status, String base,
                                                      AdapterContext adapter) {
        if (status == null) {
            return Optional.empty();
        }
        return switch (status) {
            case READY -> Optional.of(VendorCall.of("POST", base + "/readyForPickup", null));
            // OrderDispatched's only property (deliveryTrackingInfo) is optional; the hub has none to give.
            case DISPATCHED -> Optional.of(VendorCall.of("POST", base + "/dispatch", null));
            // A cancellation the vendor itself sent (CANCELLED event) needs no answer.
            case CANCELLED -> adapter.id().equals(event.actor()) ? Optional.empty()
                    : Optional.of(VendorCall.of("POST", base + "/requestCancellation",
                    cancellationBody(event.reason(), "cancelled by the restaurant", "MANUAL")));
            default -> Optional.empty();
        };
    }

    /** OrderConfirmed: createdAt and orderExternalCode are required, preparationTime (minutes) optional. */
    private static Map<String, Object> confirmBody(OrderEvent event, AdapterContext adapter) {
        Map<String, Object> body = new LinkedHashMap<>();
        java.time.Instant at = event.occurredAt() != null ? event.occurredAt() : adapter.clock().instant();
        body.put("createdAt", at.toString());
        body.put("orderExternalCode", String.valueOf(event.orderId()));
        body.put("preparationTime", adapter.intSetting("prep-minutes", 15));
        return body;
    }

    /** RequestCancelled: reason (free text), code (enum), mode AUTO|MANUAL, all required. */
    private static Map<String, Object> cancellationBody(String reason, String fallback, String mode) {
        String text = reason == null || reason.isBlank() ? fallback : reason;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reason", text);
        body.put("code", cancellationCode(text));
        body.put("mode", mode);
        return body;
    }

    /** The spec's cancellation code closest to the hub's reason (the validator's wording). */
    static String cancellationCode(String reason) {
        String r = reason.toLowerCase(Locale.ROOT);
        if (r.contains("not available") || r.contains("out of stock") || r.contains("sold out")) {
            return "UNAVAILABLE_ITEM";
        }
        if (r.contains("unknown item") || r.contains("wrong price") || r.contains("is not an option")
                || r.contains("does not apply")) {
            return "OUTDATED_MENU";
        }
        if (r.contains("closed") || r.contains("opening hours")) {
            return "OUTSIDE_DELIVERY_HOURS";
        }
        if (r.contains("unknown") && r.contains("store") || r.contains("currency")) {
            return "SYSTEMIC_ISSUES";
        }
        return "INTERNAL_DIFFICULTIES_OF_THE_RESTAURANT";
    }

    @Override
    public PollResult poll(String cursor, AdapterContext adapter) {
        VendorApi.Response r = adapter.api().send(VendorCall.of("GET", "/v1/events:polling", null), null);
        // 204 (or an empty body): no new events. Events stay in the poll until acknowledged, so no cursor.
        if (r.status() == 204 || r.body() == null || r.body().isBlank()) {
            return new PollResult(List.of(), cursor);
        }
        JsonNode events = readTree(adapter, r.body(), "polling answer");
        if (!events.isArray()) {
            throw new PermanentFailure("opendelivery: GET /v1/events:polling did not answer with a list of events");
        }
        List<String> payloads = new ArrayList<>();
        events.forEach(e -> payloads.add(e.toString()));
        return new PollResult(payloads, cursor);
    }

    @Override
    public void acknowledgePolled(List<String> payloads, AdapterContext adapter) {
        ArrayNode batch = adapter.json().createArrayNode();
        for (String payload : payloads) {
            JsonNode e = readTree(adapter, payload, "polled event");
            batch.addObject().put("id", requiredText(e, "eventId", "polled event"))
                    .put("orderId", requiredText(e, "orderId", "polled event"))
                    .put("eventType", requiredText(e, "eventType", "polled event"));
            if (batch.size() == ACK_BATCH) {
                adapter.api().send(VendorCall.of("POST", "/v1/events/acknowledgment", batch), null);
                batch = adapter.json().createArrayNode();
            }
        }
        if (!batch.isEmpty()) {
            adapter.api().send(VendorCall.of("POST", "/v1/events/acknowledgment", batch), null);
        }
    }

    /**
     * GET /v1/orders/{orderId}, read with decimals kept as BigDecimal: the kit's getJson parses numbers as
     * doubles, and money must never pass through binary floating point.
     */
    private static JsonNode fetchOrder(String orderId, AdapterContext adapter) {
        if (!SAFE_ID.matcher(orderId).matches()) {
            throw new PermanentFailure("opendelivery: event orderId '" + orderId + "' is not an order id");
        }
        String path = "/v1/orders/" + orderId;
        VendorApi.Response r = adapter.api().send(VendorCall.of("GET", path, null), null);
        JsonNode order = OrderMapper.readDecimalTree(adapter, r.body(), "GET " + path);
        if (!order.isObject()) {
            throw new PermanentFailure("opendelivery: GET " + path + " did not answer with an order object");
        }
        return order;
    }

    private static String cancelReason(JsonNode event) {
        JsonNode m = event.path("metadata");
        String code = m.path("code").asText("");
        String reason = m.path("reason").asText("");
        if (code.isEmpty() && reason.isEmpty()) {
            return "cancelled by the ordering application";
        }
        return code.isEmpty() ? reason : reason.isEmpty() ? code : code + ": " + reason;
    }

    static JsonNode readTree(AdapterContext adapter, String text, String what) {
        return adapter.readJson(text, what);
    }

    static String requiredText(JsonNode node, String field, String what) {
        JsonNode v = node.path(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new PermanentFailure("opendelivery: " + what + " has no " + field);
        }
        return v.asText();
    }
}
