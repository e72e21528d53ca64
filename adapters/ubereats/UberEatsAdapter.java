package ubereats;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.adapter.AdapterContext;
import io.orderhub.adapter.Inbound;
import io.orderhub.adapter.VendorAdapter;
import io.orderhub.adapter.VendorCall;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.model.OrderStatus;
import io.orderhub.order.OrderEvent;
import io.orderhub.pipeline.PermanentFailure;
import io.orderhub.support.Text;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Uber Eats Marketplace. Webhooks are thin ({@code meta.resource_id} is the order id): new orders are fetched with
 * {@code GET /v2/eats/order/{id}} and mapped by {@link UberOrderMapper}; the hub's answers go to the v1
 * accept/deny/cancel endpoints.
 */
public class UberEatsAdapter implements VendorAdapter {

    static final String NEW_ORDER = "orders.notification";
    static final String SCHEDULED_ORDER = "orders.scheduled.notification";
    /** Cancellation by Uber or the eater: {@code orders.cancel} (stores before API 1.0.0), {@code orders.failure}. */
    static final String CANCEL = "orders.cancel";
    static final String FAILURE = "orders.failure";

    /** Uber order ids are UUIDs; anything else must not be pasted into a URL path. */
    private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    /** Explanations and details are free text; kept short (Uber documents no limit, unverified). */
    private static final int TEXT_MAX = 250;

    @Override
    public Optional<String> eventKey(Webhook webhook) {
        JsonNode id = webhook.json() == null ? null : webhook.json().get("event_id");
        return id != null && id.isTextual() && !id.asText().isBlank() ? Optional.of(id.asText()) : Optional.empty();
    }

    @Override
    public Inbound translate(String payload, TranslationContext context, AdapterContext adapter) {
        JsonNode event = parse(payload, adapter);
        String type = text(event, "event_type");
        if (type == null) {
            throw new PermanentFailure("ubereats: webhook has no event_type");
        }
        return switch (type) {
            case NEW_ORDER, SCHEDULED_ORDER -> {
                String orderId = orderId(event);
                JsonNode order = adapter.api().getJson("/v2/eats/order/" + orderId);
                String storeId = text(event.path("meta"), "user_id");
                yield new Inbound.NewOrder(new UberOrderMapper(adapter, context).map(order, orderId, storeId,
                        SCHEDULED_ORDER.equals(type)));
            }
            case CANCEL, FAILURE -> {
                yield new Inbound.OrderUpdate(orderId(event), OrderStatus.CANCELLED,
                        "cancelled on Uber Eats (" + type + ")");
            }
            default -> new Inbound.Ignored("Uber Eats event " + type + " needs nothing from the hub");
        };
    }

    /**
     * Setting {@code manual-accept-locations} (comma-separated hub location ids): orders there are not accepted on
     * arrival but when they move to in preparation (the POS, the kitchen or an operator took them).
     */
    private static boolean manualAccept(CanonicalOrder order, AdapterContext adapter) {
        return adapter.setting("manual-accept-locations").map(list -> java.util.Arrays.stream(list.split(","))
                .map(String::trim).anyMatch(l -> l.equals(order.locationId()))).orElse(false);
    }

    private static VendorCall accept(String base, CanonicalOrder order, AdapterContext adapter) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reason", "Accepted by OrderHub");
        body.put("pickup_time", adapter.clock().instant().getEpochSecond()
                + 60L * adapter.intSetting("prep-minutes", 15));
        body.put("external_reference_id", String.valueOf(order.id()));
        return VendorCall.of("POST", base + "/accept_pos_order", body);
    }

    @Override
    public Optional<VendorCall> statusCall(OrderEvent event, AdapterContext adapter) {
        CanonicalOrder order = event.order();
        Optional<String> uberId = order == null ? Optional.empty() : adapter.vendorOrderId(order);
        if (uberId.isEmpty()) {
            return Optional.empty();
        }
        String base = "/v1/eats/orders/" + uberId.get();
        switch (event.type()) {
            case OrderEvent.CREATED -> {
                // locations that accept by hand: Uber hears "accepted" when the kitchen starts the order instead
                return manualAccept(order, adapter) ? Optional.empty() : Optional.of(accept(base, order, adapter));
            }
            case "order.rejected" -> {
                Map<String, Object> reason = new LinkedHashMap<>();
                reason.put("code", denyCode(event.reason()));
                reason.put("explanation", Text.clip(event.reason() == null ? "rejected by the restaurant"
                        : event.reason(), TEXT_MAX));
                return Optional.of(VendorCall.of("POST", base + "/deny_pos_order", Map.of("reason", reason)));
            }
            case OrderEvent.STATUS_CHANGED -> {
                if (order.status() == OrderStatus.IN_PREPARATION && manualAccept(order, adapter)) {
                    return Optional.of(accept(base, order, adapter));
                }
                // A cancellation that came from Uber itself (orders.cancel, actor "vendor:ubereats") is not sent
                // back to Uber.
                if (order.status() != OrderStatus.CANCELLED || fromUber(event.actor(), adapter)) {
                    return Optional.empty();
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("reason", cancelReason(event.reason()));
                body.put("details", Text.clip(event.reason() == null ? "cancelled by the restaurant"
                        : event.reason(), TEXT_MAX));
                return Optional.of(VendorCall.of("POST", base + "/cancel", body));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static boolean fromUber(String actor, AdapterContext adapter) {
        return actor != null && (actor.equals(adapter.id()) || actor.equals("vendor:" + adapter.id()));
    }

    /** Deny codes documented for deny_pos_order, chosen from the hub's rejection reasons (validator wording). */
    static String denyCode(String reason) {
        String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (r.contains("not available") || r.contains("unknown item") || r.contains("is not an option")) {
            return "ITEM_AVAILABILITY";
        }
        if (r.contains("wrong price") || r.contains("total")) {
            return "PRICING";
        }
        if (r.contains("needs at least") || r.contains("too many modifiers")) {
            return "MISSING_INFO";
        }
        if (r.contains("closed")) {
            return "STORE_CLOSED";
        }
        return "OTHER";
    }

    /** Cancel reasons documented for /cancel, chosen from the operator's free-text reason. */
    static String cancelReason(String reason) {
        String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (r.contains("out of") || r.contains("sold out") || r.contains("not available")) {
            return "OUT_OF_ITEMS";
        }
        if (r.contains("closed")) {
            return "KITCHEN_CLOSED";
        }
        if (r.contains("busy")) {
            return "RESTAURANT_TOO_BUSY";
        }
        if (r.contains("customer") || r.contains("guest") || r.contains("eater")) {
            return "CUSTOMER_CALLED_TO_CANCEL";
        }
        if (r.contains("note") || r.contains("instruction")) {
            return "CANNOT_COMPLETE_CUSTOMER_NOTE";
        }
        return "OTHER";
    }

    /**
     * An order notification the hub gave up on (its order could not be fetched or mapped): deny it on Uber with
     * the reason, rather than leave it to Uber's auto-cancel. Other events, or a payload naming no order: nothing.
     */
    @Override
    public Optional<VendorCall> refuseUnreadable(String payload, String reason, AdapterContext adapter) {
        try {
            JsonNode event = parse(payload, adapter);
            String type = text(event, "event_type");
            if (!NEW_ORDER.equals(type) && !SCHEDULED_ORDER.equals(type)) {
                return Optional.empty();
            }
            Map<String, Object> deny = new LinkedHashMap<>();
            deny.put("code", "OTHER");
            deny.put("explanation", Text.clip("The restaurant's system could not take this order: " + reason,
                    TEXT_MAX));
            return Optional.of(VendorCall.of("POST", "/v1/eats/orders/" + orderId(event) + "/deny_pos_order",
                    Map.of("reason", deny)));
        } catch (PermanentFailure unreadable) {
            return Optional.empty();
        }
    }

    private static String orderId(JsonNode event) {
        String id = text(event.path("meta"), "resource_id");
        if (id == null || !ORDER_ID.matcher(id).matches()) {
            throw new PermanentFailure("ubereats: webhook meta.resource_id is missing or not an order id");
        }
        return id;
    }

    private static JsonNode parse(String payload, AdapterContext adapter) {
        return adapter.readObject(payload, "webhook body");
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }
}
