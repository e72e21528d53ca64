package clover;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.pipeline.PermanentFailure;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One webhook POST of Clover: {@code {"appId": ..., "merchants": {"<mId>": [{"objectId": "O:<id>", "type":
 * "CREATE|UPDATE|DELETE", "ts": <epoch ms>}, ...], ...}}}. Thin (ids only) and batched: one POST may name several
 * merchants and several objects each.
 */
record CloverNotification(String appId, List<Event> events) {

    /** One object event. {@code objectId} is "O:<order id>" for orders, "P:<payment id>" for payments. */
    record Event(String merchantId, String objectId, String type, String ts) {

        boolean isOrder() {
            return objectId.startsWith("O:");
        }

        String orderId() {
            return objectId.substring(2);
        }

        boolean isDelete() {
            return "DELETE".equals(type);
        }

        /** Clover sends no event id: the object, what happened to it, and when, name one event. */
        String key() {
            return objectId + ":" + type + ":" + ts;
        }

        @Override
        public String toString() {
            return objectId + " " + type + " (merchant " + merchantId + ")";
        }
    }

    /** The events in the order Clover listed them; a failure with the reason when the body names none. */
    static CloverNotification read(JsonNode root) {
        JsonNode merchants = root == null ? null : root.get("merchants");
        if (merchants == null || !merchants.isObject()) {
            throw new PermanentFailure("clover: webhook body has no \"merchants\" object (not a Clover app webhook)");
        }
        List<Event> events = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = merchants.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> merchant = it.next();
            if (!merchant.getValue().isArray()) {
                continue;
            }
            for (JsonNode object : merchant.getValue()) {
                String objectId = CloverJson.text(object, "objectId");
                if (objectId == null || objectId.isBlank()) {
                    continue;
                }
                String type = CloverJson.text(object, "type");
                JsonNode ts = object.get("ts");
                events.add(new Event(merchant.getKey(), objectId.strip(), type == null ? "" : type.strip(),
                        ts == null || ts.isNull() || ts.isContainerNode() ? "" : ts.asText()));
            }
        }
        if (events.isEmpty()) {
            throw new PermanentFailure("clover: webhook body names no object (merchants." + "<mId>[].objectId)");
        }
        return new CloverNotification(CloverJson.text(root, "appId"), List.copyOf(events));
    }

    /**
     * The event this adapter acts on: the first order event in Clover's order (its DELETE instead, when the same POST
     * also deletes that order: the order is gone and cannot be fetched), else the first event. The kit takes one
     * event per webhook (see README "Batched webhooks").
     */
    Event handled() {
        Event first = events.stream().filter(Event::isOrder).findFirst().orElse(events.get(0));
        return events.stream().filter(e -> e.isDelete() && e.objectId().equals(first.objectId())).findFirst()
                .orElse(first);
    }

    /** Order events of other orders in the same POST, which this adapter cannot act on. */
    List<Event> otherOrders() {
        Event handled = handled();
        return events.stream().filter(e -> e.isOrder() && !e.objectId().equals(handled.objectId())).toList();
    }
}
