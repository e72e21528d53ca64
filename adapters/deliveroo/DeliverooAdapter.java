package deliveroo;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.adapter.AdapterContext;
import io.orderhub.adapter.Inbound;
import io.orderhub.adapter.VendorAdapter;
import io.orderhub.adapter.VendorCall;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.model.OrderStatus;
import io.orderhub.order.OrderEvent;
import io.orderhub.pipeline.PermanentFailure;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Deliveroo Order API: the Order Events webhook ({@code order.new}, {@code order.status_update}) in, and
 * {@code PATCH /order/v1/orders/{order_id}} (accept / reject / confirm) out. The order mapping is in
 * {@link DeliverooOrderMapper}.
 */
public class DeliverooAdapter implements VendorAdapter {

    static final String ID = "deliveroo";
    static final String GUID_HEADER = "X-Deliveroo-Sequence-Guid";
    static final String ORDER_REJECTED = "order.rejected";

    /** Deliveroo limits nothing documented on {@code notes}; we keep the tablet text short anyway. */
    private static final int NOTES_MAX = 255;

    public DeliverooAdapter() {
    }

    @Override
    public Optional<String> eventKey(Webhook webhook) {
        // The sequence guid is what Deliveroo signs each delivery with: one guid per event.
        String guid = webhook.header() == null ? null : webhook.header().apply(GUID_HEADER);
        if (guid != null && !guid.isBlank()) {
            return Optional.of(guid.trim());
        }
        JsonNode json = webhook.json();
        if (json == null) {
            return Optional.empty();
        }
        JsonNode order = json.path("body").path("order");
        String id = order.path("id").asText("");
        if (id.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(id + ":" + json.path("event").asText("") + ":" + order.path("status").asText(""));
    }

    @Override
    public Inbound translate(String payload, TranslationContext context, AdapterContext adapter) {
        JsonNode root = adapter.readObject(payload, "payload");
        String event = root.path("event").asText("");
        if (event.isEmpty()) {
            throw new PermanentFailure("deliveroo: payload has no \"event\" (not an Order Events webhook)");
        }
        JsonNode order = root.path("body").path("order");
        switch (event) {
            case "order.new" -> {
                if (!order.isObject()) {
                    throw new PermanentFailure("deliveroo: order.new without body.order");
                }
                return new Inbound.NewOrder(DeliverooOrderMapper.toCanonical(order, context, adapter));
            }
            case "order.status_update" -> {
                if (!order.isObject()) {
                    throw new PermanentFailure("deliveroo: order.status_update without body.order");
                }
                return statusUpdate(order);
            }
            default -> {
                return new Inbound.Ignored("deliveroo event '" + event + "' needs nothing from the hub");
            }
        }
    }

    /** Only a cancellation matters: every other status is one the hub itself drove (accepted, confirmed...). */
    private static Inbound statusUpdate(JsonNode order) {
        String id = DeliverooOrderMapper.text(order, "id");
        String status = order.path("status").asText("");
        String lastLogged = lastLoggedStatus(order);
        if ("canceled".equals(status) || "canceled".equals(lastLogged)) {
            return new Inbound.OrderUpdate(id, OrderStatus.CANCELLED, "cancelled on Deliveroo");
        }
        return new Inbound.Ignored("deliveroo status '" + (status.isEmpty() ? lastLogged : status) + "' of " + id
                + " is driven by the hub");
    }

    private static String lastLoggedStatus(JsonNode order) {
        JsonNode log = order.path("status_log");
        if (!log.isArray() || log.isEmpty()) {
            return "";
        }
        return log.get(log.size() - 1).path("status").asText("");
    }

    @Override
    public Optional<VendorCall> statusCall(OrderEvent event, AdapterContext adapter) {
        CanonicalOrder order = event.order();
        if (order == null) {
            return Optional.empty();
        }
        Optional<String> vendorId = adapter.vendorOrderId(order);
        if (vendorId.isEmpty()) {
            return Optional.empty();
        }
        String path = "/order/v1/orders/" + vendorId.get();
        Map<String, Object> body = new LinkedHashMap<>();
        switch (event.type()) {
            case OrderEvent.CREATED -> body.put("status", "accepted");
            case ORDER_REJECTED -> {
                String reason = event.reason() == null ? "" : event.reason();
                body.put("status", "rejected");
                body.put("reject_reason", rejectReason(reason));
                if (!reason.isBlank()) {
                    body.put("notes", reason.length() > NOTES_MAX ? reason.substring(0, NOTES_MAX) : reason);
                }
            }
            case OrderEvent.STATUS_CHANGED -> {
                // accepted -> confirmed exists for scheduled orders only: the kitchen starts on them.
                boolean scheduled = order.fulfilment() != null && order.fulfilment().scheduledFor() != null;
                if (order.status() == OrderStatus.IN_PREPARATION && scheduled) {
                    body.put("status", "confirmed");
                } else {
                    // CANCELLED: Deliveroo documents no partner cancel after acceptance; READY and the rest:
                    // the prep-stage endpoint's names are unverified (see README).
                    return Optional.empty();
                }
            }
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(VendorCall.of("PATCH", path, body));
    }

    /** Deliveroo's reject reasons: closing_early, busy, ingredient_unavailable, other. */
    static String rejectReason(String reason) {
        String r = reason.toLowerCase(Locale.ROOT);
        if (r.contains("not available") || r.contains("unavailable") || r.contains("out of stock")) {
            return "ingredient_unavailable";
        }
        if (r.contains("busy") || r.contains("capacity")) {
            return "busy";
        }
        if (r.contains("closing") || r.contains("closed")) {
            return "closing_early";
        }
        return "other";
    }
}
