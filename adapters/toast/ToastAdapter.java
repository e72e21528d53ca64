package toast;

import static toast.ToastJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.adapter.AdapterContext;
import io.orderhub.adapter.Inbound;
import io.orderhub.adapter.VendorAdapter;
import io.orderhub.adapter.VendorApi;
import io.orderhub.adapter.VendorCall;
import io.orderhub.order.OrderEvent;
import io.orderhub.pipeline.OrderRejected;
import io.orderhub.pipeline.PermanentFailure;
import io.orderhub.pipeline.TransientFailure;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Toast as the restaurant's POS (Orders API v2 and the orders webhook). In: {@code order_updated} webhooks carry
 * the full Toast order; an order the hub put into Toast becomes a status update, any other order (rung up at the
 * POS, a kiosk, Toast online ordering) a new hub order. Out: each new hub order of a Toast location is created with
 * {@code POST /orders/v2/orders}; Toast has no endpoint for the hub's other status changes. Polling fallback:
 * {@code GET /orders/v2/ordersBulk} since the last modified date seen. See README.md for the field mapping.
 */
public class ToastAdapter implements VendorAdapter {

    static final String RESTAURANT_HEADER = "Toast-Restaurant-External-ID";
    private static final Set<String> ORDER_EVENTS = Set.of("order_updated", "channel_order_updated");
    private static final int PAGE_SIZE = 100;
    private static final int MAX_PAGES = 100;
    /** A poll re-reads this much before the end of the last window: orders become visible to it a little late. */
    private static final Duration OVERLAP = Duration.ofMinutes(2);

    /**
     * One key per version of a Toast order: the order GUID and its modifiedDate (as an instant). A webhook and a
     * poll of the same order version are then one intake, and Toast's retries of a webhook are too. Payloads
     * without an order fall back to the event GUID.
     */
    @Override
    public Optional<String> eventKey(Webhook webhook) {
        JsonNode event = webhook.json();
        if (event == null || !event.isObject()) {
            return Optional.empty();
        }
        JsonNode order = event.path("details").path("order");
        String guid = order.isObject() ? text(order, "guid") : null;
        String modified = order.isObject() ? text(order, "modifiedDate") : null;
        if (guid != null && modified != null) {
            Instant at = ToastJson.instantOrNull(modified);
            return Optional.of("order:" + guid + ":" + (at == null ? modified : at.toEpochMilli()));
        }
        return Optional.ofNullable(text(event, "guid"));
    }

    @Override
    public Inbound translate(String payload, TranslationContext context, AdapterContext adapter) {
        try {
            return translateEvent(payload, context, adapter);
        } catch (PermanentFailure | OrderRejected | TransientFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PermanentFailure("toast: cannot read the order: " + e, e);
        }
    }

    private Inbound translateEvent(String payload, TranslationContext context, AdapterContext adapter) {
        JsonNode event = ToastJson.readExact(adapter, payload, "webhook body");
        if (!event.isObject()) {
            throw new PermanentFailure("toast: webhook body is not a JSON object");
        }
        String type = text(event, "eventType");
        if (type == null) {
            throw new PermanentFailure("toast: payload has no eventType: not a Toast webhook message");
        }
        if (!ORDER_EVENTS.contains(type)) {
            return new Inbound.Ignored("event type '" + type + "'");
        }
        JsonNode details = ToastJson.object(event, "details", type);
        JsonNode order = ToastJson.object(details, "order", type + ".details");
        if (order == null) {
            throw new PermanentFailure("toast: " + type + " event has no details.order");
        }
        String guid = ToastJson.requiredText(order, "guid", "order");
        String externalId = text(order, "externalId");
        boolean hubs = externalId != null && externalId.startsWith(ToastOutbound.EXTERNAL_ID_PREFIX);
        if (hubs || adapter.orderRefByVendorId(guid).isPresent()) {
            // an order the hub put into Toast (its externalId says so even before the POST's answer is recorded)
            return ToastInbound.statusOf(guid, order);
        }
        return ToastInbound.newOrder(guid, details, order, context, adapter);
    }

    /** Toast is not told about the hub's statuses: its orders API has no status endpoint for them. */
    @Override
    public Optional<VendorCall> statusCall(OrderEvent event, AdapterContext adapter) {
        return Optional.empty();
    }

    /**
     * Toast's ordersBulk for the last minute, one order at most, at the first restaurant the hub serves (asked when
     * a 500 opens the circuit; the answer is not read).
     */
    @Override
    public Optional<VendorCall> healthCall(AdapterContext adapter) {
        List<String> restaurants = adapter.storeIds();
        if (restaurants.isEmpty()) {
            return Optional.empty();
        }
        Instant now = adapter.clock().instant();
        return Optional.of(new VendorCall("GET", "/orders/v2/ordersBulk?startDate="
                + enc(ToastJson.format(now.minus(Duration.ofMinutes(1)))) + "&endDate=" + enc(ToastJson.format(now))
                + "&pageSize=1&page=1", null, Map.of(RESTAURANT_HEADER, restaurants.get(0))));
    }

    /**
     * {@code order.created}: POST /orders/v2/orders at the location's Toast restaurant. Toast keeps the order's
     * {@code externalId} unique, so a resent POST cannot make a second Toast order. A cancel voids the Toast order;
     * other status changes: none (Toast has no endpoint for them).
     */
    @Override
    public Optional<VendorCall> posCall(OrderEvent event, String idempotencyKey, AdapterContext adapter) {
        if (event.order() != null && OrderEvent.STATUS_CHANGED.equals(event.type())
                && event.order().status() == io.orderhub.model.OrderStatus.CANCELLED) {
            return Optional.of(voidCall(event, adapter));
        }
        if (!OrderEvent.CREATED.equals(event.type()) || event.order() == null) {
            return Optional.empty();
        }
        String restaurant = adapter.storeOf(event.order().locationId()).orElseThrow(() -> new PermanentFailure(
                "toast: no Toast restaurant for hub location " + event.order().locationId()
                        + " (orderhub.adapters.toast.stores)"));
        return Optional.of(new VendorCall("POST", "/orders/v2/orders", ToastOutbound.order(event.order(), adapter),
                Map.of(RESTAURANT_HEADER, restaurant)));
    }

    /**
     * A cancelled hub order is voided in Toast: {@code POST /orders/v2/orders/{guid}/void} with every selection and
     * payment voided (Toast Orders API 2.9.0; only orders paid with an "other" payment type can be voided, which is
     * how the hub puts orders into Toast). Not in Toast yet (its CreateOrder still being retried): the stage retries.
     */
    private static VendorCall voidCall(OrderEvent event, AdapterContext adapter) {
        var ref = adapter.orderRef(event.orderId()).orElseThrow(() -> new TransientFailure(
                "toast: order " + event.orderId() + " is not in Toast yet; its void waits for it"));
        String restaurant = adapter.storeOf(event.order().locationId()).orElseThrow(() -> new PermanentFailure(
                "toast: no Toast restaurant for hub location " + event.order().locationId()));
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("selections", Map.of("voidAll", true));
        body.put("payments", Map.of("voidAll", true));
        return new VendorCall("POST", "/orders/v2/orders/" + ref.vendorOrderId() + "/void", body,
                Map.of(RESTAURANT_HEADER, restaurant));
    }

    /** Remembers Toast's order GUID (and its check) so Toast's webhooks about the order find the hub's order. */
    @Override
    public void posAnswered(OrderEvent event, VendorCall call, VendorApi.Response response, AdapterContext adapter) {
        if (!OrderEvent.CREATED.equals(event.type())) {
            return;
        }
        JsonNode answer = ToastJson.readExact(adapter, response.body(), "POST /orders/v2/orders answer");
        // the spec's schema says OrderResponse {orders: [Order]}, its example shows the Order itself: read both
        JsonNode order = answer.isObject() && answer.has("guid") ? answer : answer.path("orders").path(0);
        String guid = text(order, "guid");
        if (guid == null) {
            throw new PermanentFailure("toast: POST /orders/v2/orders answered " + response.status()
                    + " without an order guid: " + io.orderhub.support.Text.clip(response.body(), 300));
        }
        Map<String, String> data = new LinkedHashMap<>();
        data.put("restaurantGuid", call.headers().get(RESTAURANT_HEADER));
        data.put("checkGuid", text(order.path("checks").path(0), "guid"));
        data.values().removeIf(java.util.Objects::isNull);
        try {
            adapter.rememberOrder(event.orderId(), guid, text(order, "modifiedDate"),
                    adapter.json().writeValueAsString(data));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The polling fallback: {@code GET /orders/v2/ordersBulk} for each restaurant of setting
     * {@code poll-restaurants}, orders modified from the cursor (the last modifiedDate seen, inclusive) to now,
     * page by page. Each order is wrapped as the webhook's envelope, so it goes through the same intake under the
     * same event key as the webhook of the same order version.
     */
    @Override
    public PollResult poll(String cursor, AdapterContext adapter) {
        List<String> restaurants = Arrays.stream(adapter.setting("poll-restaurants").orElse("").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (restaurants.isEmpty()) {
            return new PollResult(List.of(), cursor);
        }
        Instant now = adapter.clock().instant();
        Instant start = cursor == null ? null : ToastJson.instantOrNull(cursor);
        if (start == null) {
            start = now.minus(Duration.ofMinutes(adapter.intSetting("poll-lookback-minutes", 60)));
        }
        Instant end = start.plus(Duration.ofMinutes(adapter.intSetting("poll-window-minutes", 60)));
        if (end.isAfter(now)) {
            end = now;
        }
        if (!end.isAfter(start)) {
            return new PollResult(List.of(), cursor);
        }
        List<String> payloads = new ArrayList<>();
        Instant next = null;
        for (String restaurant : restaurants) {
            Instant seen = null;
            for (int page = 1; page <= MAX_PAGES; page++) {
                String path = "/orders/v2/ordersBulk?startDate=" + enc(ToastJson.format(start)) + "&endDate="
                        + enc(ToastJson.format(end)) + "&pageSize=" + PAGE_SIZE + "&page=" + page;
                VendorApi.Response r = adapter.api().send(new VendorCall("GET", path, null,
                        Map.of(RESTAURANT_HEADER, restaurant)), null);
                JsonNode orders = ToastJson.readExact(adapter, r.body(), "ordersBulk answer");
                if (!orders.isArray()) {
                    throw new PermanentFailure("toast: GET /orders/v2/ordersBulk did not answer with a list of orders");
                }
                for (JsonNode order : orders) {
                    if (!order.isObject() || text(order, "guid") == null) {
                        continue;
                    }
                    String modified = text(order, "modifiedDate");
                    Instant at = ToastJson.instantOrNull(modified);
                    if (at != null && (seen == null || at.isAfter(seen))) {
                        seen = at;
                    }
                    payloads.add(envelope(restaurant, order, modified, adapter));
                }
                if (orders.size() < PAGE_SIZE) {
                    break;
                }
            }
            // all of [start, end) is read: the next window may start shortly before its end
            Instant restaurantNext = end.minus(OVERLAP);
            if (restaurantNext.isBefore(start)) {
                restaurantNext = start;
            }
            if (seen != null && seen.isAfter(restaurantNext) && !seen.isAfter(end)) {
                restaurantNext = seen;
            }
            next = next == null || restaurantNext.isBefore(next) ? restaurantNext : next;
        }
        return new PollResult(payloads, next == null ? cursor : next.toString());
    }

    /** A polled order in the orders webhook's envelope ({timestamp, eventCategory, eventType, guid, details}). */
    private static String envelope(String restaurant, JsonNode order, String modified, AdapterContext adapter) {
        ObjectNode event = adapter.json().createObjectNode();
        event.put("timestamp", modified);
        event.put("eventCategory", "order_updated");
        event.put("eventType", "order_updated");
        event.put("guid", "ordersBulk:" + text(order, "guid") + ":" + modified);
        ObjectNode details = event.putObject("details");
        details.put("restaurantGuid", restaurant);
        details.set("order", order);
        try {
            return adapter.json().writeValueAsString(event);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
