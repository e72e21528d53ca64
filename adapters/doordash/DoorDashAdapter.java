package doordash;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.adapter.AdapterContext;
import io.orderhub.adapter.Inbound;
import io.orderhub.adapter.VendorAdapter;
import io.orderhub.adapter.VendorCall;
import io.orderhub.menu.Menu;
import io.orderhub.menu.Pricing;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.model.CanonicalOrder.Adjustment;
import io.orderhub.model.CanonicalOrder.Modifier;
import io.orderhub.model.CanonicalOrder.OrderLine;
import io.orderhub.model.Money;
import io.orderhub.model.OrderStatus;
import io.orderhub.model.OrderType;
import io.orderhub.order.OrderEvent;
import io.orderhub.pipeline.OrderRejected;
import io.orderhub.pipeline.PermanentFailure;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * DoorDash Marketplace: the Orders webhook ({@code {"event":{"type":"OrderCreate",...},"order":{...}}}, integer
 * cents, no grand total), the Order Canceled webhook ({@code external_order_id}, {@code client_order_id}), and the
 * order confirmation / ready / cancellation PATCH calls of the Marketplace API (JWT auth is the kit's).
 */
public class DoorDashAdapter implements VendorAdapter {

    static final String ID = "doordash";

    @Override
    public Optional<String> eventKey(Webhook webhook) {
        JsonNode body = webhook.json();
        if (body == null || !body.isObject()) {
            return Optional.empty();
        }
        // Orders webhook: no event id, so order id + event type (+ status) names one delivery
        String orderId = text(body.path("order").path("id"));
        String type = text(body.path("event").path("type"));
        if (orderId != null && type != null) {
            String status = text(body.path("event").path("status"));
            return Optional.of(orderId + ":" + type + (status == null ? "" : ":" + status));
        }
        // Order Canceled webhook: one per order
        String cancelled = text(body.path("external_order_id"));
        return cancelled == null ? Optional.empty() : Optional.of(cancelled + ":cancelled");
    }

    @Override
    public Inbound translate(String payload, TranslationContext context, AdapterContext adapter) {
        JsonNode body = adapter.readObject(payload, "payload");
        if (body.has("event")) {
            String type = text(body.path("event").path("type"));
            if (!"OrderCreate".equals(type)) {
                return new Inbound.Ignored("doordash event type '" + type + "' needs nothing from the hub");
            }
            JsonNode order = body.path("order");
            if (!order.isObject()) {
                throw new PermanentFailure("doordash: OrderCreate event without an order object");
            }
            return new Inbound.NewOrder(new OrderMapping(order, context, adapter).order());
        }
        if (body.has("external_order_id")) {
            // Order Canceled webhook; DoorDash sends no cancellation reason on it
            String orderId = requiredText(body, "external_order_id", "cancellation");
            return new Inbound.OrderUpdate(orderId, OrderStatus.CANCELLED, "cancelled on DoorDash (no reason given)");
        }
        // not a shape DoorDash sends to this endpoint: kept and dead-lettered for an operator, not silently dropped
        throw new PermanentFailure("doordash: payload is neither an order event ({\"event\",\"order\"}) nor an "
                + "order cancellation ({\"external_order_id\"})");
    }

    @Override
    public Optional<VendorCall> statusCall(OrderEvent event, AdapterContext adapter) {
        CanonicalOrder order = event.order();
        if (order == null) {
            return Optional.empty();
        }
        Optional<String> ddId = adapter.vendorOrderId(order);
        if (ddId.isEmpty()) {
            return Optional.empty();
        }
        String path = "/orders/" + ddId.get();
        String hubId = order.id().toString();
        switch (event.type()) {
            case OrderEvent.CREATED -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("merchant_supplied_id", hubId);
                body.put("order_status", "success");
                Instant ready = adapter.clock().instant().truncatedTo(ChronoUnit.SECONDS)
                        .plus(Duration.ofMinutes(adapter.intSetting("prep-minutes", 20)));
                body.put("prep_time", ready.toString());
                return Optional.of(VendorCall.of("PATCH", path, body));
            }
            case "order.rejected" -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("merchant_supplied_id", hubId);
                body.put("order_status", "fail");
                body.put("failure_reason", event.reason() == null ? "order cannot be taken" : event.reason());
                return Optional.of(VendorCall.of("PATCH", path, body));
            }
            case OrderEvent.STATUS_CHANGED -> {
                return statusChanged(event, order, path, hubId);
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static Optional<VendorCall> statusChanged(OrderEvent event, CanonicalOrder order, String path,
                                                      String hubId) {
        if (order.status() == OrderStatus.READY) {
            return Optional.of(VendorCall.of("PATCH", path + "/events/order_ready_for_pickup",
                    Map.of("merchant_supplied_id", hubId)));
        }
        if (order.status() == OrderStatus.CANCELLED) {
            if (("vendor:" + ID).equals(event.actor())) {
                return Optional.empty(); // DoorDash cancelled it itself (Order Canceled webhook): nothing to tell
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("cancel_reason", cancelReason(event.reason()));
            if (event.reason() != null && !event.reason().isBlank()) {
                body.put("cancel_details", event.reason());
            }
            return Optional.of(VendorCall.of("PATCH", path + "/cancellation", body));
        }
        return Optional.empty();
    }

    /**
     * DoorDash's cancel_reason from the hub's free-text reason. STORE_CLOSED and KITCHEN_BUSY deactivate the store
     * on DoorDash (12 h / 15 min), so they are sent only when the reason names that code; out-of-stock wording
     * gives ITEM_OUT_OF_STOCK; anything else is OTHER.
     */
    static String cancelReason(String reason) {
        if (reason == null) {
            return "OTHER";
        }
        String r = reason.trim().toUpperCase(Locale.ROOT);
        for (String code : List.of("ITEM_OUT_OF_STOCK", "STORE_CLOSED", "KITCHEN_BUSY", "OTHER")) {
            if (r.startsWith(code)) {
                return code;
            }
        }
        if (r.contains("OUT OF STOCK") || r.contains("SOLD OUT") || r.contains("UNAVAILABLE")) {
            return "ITEM_OUT_OF_STOCK";
        }
        return "OTHER";
    }

    /** The mapping of one DoorDash order object to the canonical order. */
    private static final class OrderMapping {

        private final JsonNode order;
        private final TranslationContext context;
        private final AdapterContext adapter;
        private final Menu.Location location;
        private final String currency;
        private final Map<String, Menu.Item> menuItems;

        OrderMapping(JsonNode order, TranslationContext context, AdapterContext adapter) {
            this.order = order;
            this.context = context;
            this.adapter = adapter;
            String storeId = requiredText(order.path("store"), "merchant_supplied_id", "order.store");
            this.location = adapter.locationForStore(storeId)
                    .orElseThrow(() -> new OrderRejected(List.of("unknown doordash store '" + storeId + "'")));
            this.currency = location.currency();
            this.menuItems = adapter.menu(location.id()).map(Menu::itemsById).orElse(Map.of());
        }

        CanonicalOrder order() {
            String ddId = requiredText(order, "id", "order");
            List<OrderLine> lines = lines();
            Money lineSum = Pricing.subtotal(lines, currency);

            // DoorDash sends no grand total and no promotion field: a subtotal below the item prices is taken as
            // a promotion of the difference; one above them cannot be explained and is refused
            Money ddSubtotal = Money.ofMinor(requiredCents(order, "subtotal", "order"), currency);
            List<Adjustment> discounts = new ArrayList<>();
            if (ddSubtotal.amount() < lineSum.amount()) {
                discounts.add(new Adjustment("doordash-promotion",
                        "DoorDash subtotal below the item prices", lineSum.minus(ddSubtotal)));
            } else if (ddSubtotal.amount() > lineSum.amount()) {
                throw new OrderRejected(List.of("doordash subtotal " + ddSubtotal.amount()
                        + " is more than its items add up to (" + lineSum.amount() + ")"));
            }

            String fulfilmentType = text(order.path("fulfillment_type"));
            OrderType type = type(fulfilmentType);
            Money tax = merchantTax();
            Money tip = tip(fulfilmentType);
            // total = subtotal (after promotion) + tax the restaurant collects (unless inside the prices) + tips
            Money total = ddSubtotal.plus(tip);
            if (!location.taxIncluded()) {
                total = total.plus(tax);
            }
            var charges = new CanonicalOrder.Charges(lineSum, discounts, tax, List.of(), tip, total);

            return new CanonicalOrder(CanonicalOrder.SCHEMA_VERSION, context.orderId(),
                    List.of(new CanonicalOrder.ExternalId(ID, ddId)), ID, adapter.descriptor().channel(),
                    location.brandId(), location.id(), text(order.path("delivery_short_code")), type,
                    OrderStatus.ACCEPTED, 1, context.correlationId(), context.receivedAt(), context.receivedAt(),
                    currency, lines, charges, customer(), List.of(), fulfilment(), null, List.of());
        }

        private List<OrderLine> lines() {
            List<OrderLine> lines = new ArrayList<>();
            JsonNode categories = order.path("categories");
            if (!categories.isArray() || categories.isEmpty()) {
                throw new PermanentFailure("doordash: order has no categories");
            }
            int n = 0;
            for (JsonNode category : categories) {
                JsonNode items = category.path("items");
                if (!items.isArray()) {
                    throw new PermanentFailure("doordash: a category has no items array");
                }
                for (JsonNode item : items) {
                    n++;
                    String where = "item " + n;
                    String itemId = requiredText(item, "merchant_supplied_id", where);
                    int quantity = requiredQuantity(item, where);
                    // price is taken per unit, without options (unverified: DoorDash does not say)
                    Money unit = Money.ofMinor(requiredCents(item, "price", where), currency);
                    List<Modifier> modifiers = modifiers(item.path("extras"), where);
                    Menu.Item menuItem = menuItems.get(itemId);
                    String lineId = text(item.path("line_item_id"));
                    lines.add(new OrderLine(lineId == null ? String.valueOf(n) : lineId, itemId,
                            Optional.ofNullable(text(item.path("name"))).orElse(itemId), quantity, unit, modifiers,
                            Pricing.lineTotal(unit, modifiers, quantity), text(item.path("special_instructions")),
                            List.of(), menuItem == null ? null : menuItem.station()));
                }
            }
            if (lines.isEmpty()) {
                throw new PermanentFailure("doordash: order has no items");
            }
            return lines;
        }

        /** extras (modifier groups) -> options (modifiers), options carrying extras of their own. */
        private List<Modifier> modifiers(JsonNode extras, String where) {
            List<Modifier> out = new ArrayList<>();
            if (extras.isMissingNode() || extras.isNull()) {
                return out;
            }
            if (!extras.isArray()) {
                throw new PermanentFailure("doordash: " + where + " extras is not an array");
            }
            for (JsonNode extra : extras) {
                String groupId = requiredText(extra, "merchant_supplied_id", where + " extra");
                JsonNode options = extra.path("options");
                if (!options.isArray()) {
                    throw new PermanentFailure("doordash: " + where + " extra " + groupId + " has no options array");
                }
                for (JsonNode option : options) {
                    String optionWhere = where + " option of " + groupId;
                    String optionId = requiredText(option, "merchant_supplied_id", optionWhere);
                    int quantity = option.has("quantity") ? requiredQuantity(option, optionWhere) : 1;
                    out.add(new Modifier(optionId, groupId,
                            Optional.ofNullable(text(option.path("name"))).orElse(optionId), quantity,
                            Money.ofMinor(requiredCents(option, "price", optionWhere), currency),
                            modifiers(option.path("extras"), optionWhere + " > " + optionId)));
                }
            }
            return out;
        }

        /** Tax the restaurant collects: DoorDash's tax less what DoorDash remits itself (marketplace states). */
        private Money merchantTax() {
            long tax = order.has("tax") ? requiredCents(order, "tax", "order") : 0;
            if (order.path("is_tax_remitted_by_doordash").asBoolean(false)) {
                long remitted = order.has("tax_amount_remitted_by_doordash")
                        ? requiredCents(order, "tax_amount_remitted_by_doordash", "order") : tax;
                tax = Math.max(0, tax - remitted);
            }
            return Money.ofMinor(tax, currency);
        }

        /** merchant_tip_amount; plus tip_amount on the restaurant's own delivery (mx_fleet_delivery). */
        private Money tip(String fulfilmentType) {
            long tip = order.has("merchant_tip_amount") ? requiredCents(order, "merchant_tip_amount", "order") : 0;
            if ("mx_fleet_delivery".equals(fulfilmentType) && order.has("tip_amount")
                    && !order.get("tip_amount").isNull()) {
                JsonNode t = order.get("tip_amount");
                if (!t.isNumber() || t.decimalValue().stripTrailingZeros().scale() > 0) {
                    throw new PermanentFailure("doordash: tip_amount is not a whole number of cents: " + t);
                }
                tip += t.decimalValue().longValueExact();
            }
            return Money.ofMinor(tip, currency);
        }

        private OrderType type(String fulfilmentType) {
            if (fulfilmentType != null) {
                return switch (fulfilmentType) {
                    case "pickup" -> OrderType.PICKUP;
                    case "dx_delivery", "mx_fleet_delivery" -> OrderType.DELIVERY;
                    default -> throw new PermanentFailure("doordash: unknown fulfillment_type '"
                            + fulfilmentType + "'");
                };
            }
            JsonNode pickup = order.path("is_pickup");
            if (!pickup.isBoolean()) {
                throw new PermanentFailure("doordash: order has neither fulfillment_type nor is_pickup");
            }
            return pickup.booleanValue() ? OrderType.PICKUP : OrderType.DELIVERY;
        }

        private CanonicalOrder.Customer customer() {
            JsonNode c = order.path("consumer");
            if (!c.isObject()) {
                return null;
            }
            String first = text(c.path("first_name"));
            String last = text(c.path("last_name"));
            String name = ((first == null ? "" : first) + " " + (last == null ? "" : last)).trim();
            return new CanonicalOrder.Customer(name.isEmpty() ? null : name, text(c.path("phone")),
                    text(c.path("email")), null);
        }

        /**
         * estimated_pickup_time: the promised time of an ASAP order; DoorDash flags no scheduled orders on the
         * order object, so one whose pickup is more than {@code scheduled-after-minutes} after it arrived is
         * taken as scheduled for that time.
         */
        private CanonicalOrder.Fulfilment fulfilment() {
            ZoneId zone = ZoneId.of(location.timeZone());
            String raw = text(order.path("estimated_pickup_time"));
            OffsetDateTime pickup = null;
            if (raw != null) {
                try {
                    pickup = OffsetDateTime.parse(raw).atZoneSameInstant(zone).toOffsetDateTime();
                } catch (DateTimeParseException e) {
                    throw new PermanentFailure("doordash: estimated_pickup_time '" + raw + "' is not a date-time");
                }
            }
            boolean scheduled = pickup != null && Duration.between(context.receivedAt(), pickup.toInstant())
                    .compareTo(Duration.ofMinutes(adapter.intSetting("scheduled-after-minutes", 60))) > 0;
            return new CanonicalOrder.Fulfilment(location.timeZone(), scheduled ? pickup : null,
                    scheduled ? null : pickup, null, null);
        }
    }

    static String text(JsonNode node) {
        return node == null || !node.isTextual() || node.asText().isBlank() ? null : node.asText();
    }

    static String requiredText(JsonNode parent, String field, String where) {
        JsonNode node = parent.path(field);
        if (node.isTextual() && !node.asText().isBlank()) {
            return node.asText();
        }
        if (node.isIntegralNumber()) {
            return node.asText(); // ids sent as numbers are still ids
        }
        throw new PermanentFailure("doordash: " + where + " has no " + field);
    }

    static long requiredCents(JsonNode parent, String field, String where) {
        JsonNode node = parent.path(field);
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new PermanentFailure("doordash: " + where + " " + field + " must be whole cents, got "
                    + (node.isMissingNode() ? "nothing" : node.toString()));
        }
        return node.longValue();
    }

    static int requiredQuantity(JsonNode parent, String where) {
        JsonNode node = parent.path("quantity");
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1) {
            throw new PermanentFailure("doordash: " + where + " quantity must be a whole number of at least 1, got "
                    + (node.isMissingNode() ? "nothing" : node.toString()));
        }
        return node.intValue();
    }
}
