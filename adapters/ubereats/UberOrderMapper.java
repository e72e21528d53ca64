package ubereats;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.adapter.AdapterContext;
import io.orderhub.adapter.VendorAdapter.TranslationContext;
import io.orderhub.menu.Menu;
import io.orderhub.menu.Pricing;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.model.CanonicalOrder.Adjustment;
import io.orderhub.model.CanonicalOrder.ExternalId;
import io.orderhub.model.CanonicalOrder.Modifier;
import io.orderhub.model.CanonicalOrder.OrderLine;
import io.orderhub.model.Money;
import io.orderhub.model.OrderStatus;
import io.orderhub.model.OrderType;
import io.orderhub.pipeline.OrderRejected;
import io.orderhub.pipeline.PermanentFailure;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One Uber Eats v2 order ({@code GET /v2/eats/order/{id}}) as a canonical order. Money objects are
 * {@code {amount (integer minor units), currency_code, formatted_amount}}; only {@code amount} and
 * {@code currency_code} are read. Items, modifier groups and options carry the merchant's ids in
 * {@code external_data} (Uber's {@code id} is the fallback).
 */
final class UberOrderMapper {

    private final AdapterContext adapter;
    private final TranslationContext context;
    private String currency;

    UberOrderMapper(AdapterContext adapter, TranslationContext context) {
        this.adapter = adapter;
        this.context = context;
    }

    CanonicalOrder map(JsonNode order, String orderId, String webhookStoreId, boolean scheduled) {
        if (order == null || !order.isObject()) {
            throw new PermanentFailure("ubereats: order " + orderId + " is not a JSON object");
        }
        String storeId = UberEatsAdapter.text(order.path("store"), "id");
        if (storeId == null) {
            storeId = webhookStoreId;
        }
        String store = storeId;
        Menu.Location location = adapter.locationForStore(store)
                .orElseThrow(() -> new OrderRejected(List.of("unknown Uber Eats store '" + store + "'")));
        currency = location.currency();
        Map<String, Menu.Item> menuItems = adapter.menu(location.id()).map(Menu::itemsById).orElse(Map.of());

        JsonNode cart = order.path("cart");
        JsonNode items = cart.get("items");
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw new PermanentFailure("ubereats: order " + orderId + " has no cart.items");
        }
        List<OrderLine> lines = new ArrayList<>();
        for (JsonNode item : items) {
            lines.add(line(item, menuItems));
        }

        JsonNode charges = order.path("payment").path("charges");
        List<Adjustment> discounts = discounts(order.path("payment"), charges);
        List<Adjustment> fees = new ArrayList<>();
        fee(fees, charges, "delivery_fee", "delivery", "Delivery fee");
        fee(fees, charges, "small_order_fee", "small_order", "Small order fee");
        fee(fees, charges, "bag_fee", "bag", "Bag fee");
        Money tip = orZero(money(charges, "tip", false));
        Money tax = orZero(money(charges, "tax", false));
        Money total = money(charges, "total", true);
        CanonicalOrder.Charges canonicalCharges = new CanonicalOrder.Charges(Pricing.subtotal(lines, currency),
                discounts, tax, fees, tip, total);

        OrderType type = type(text(order, "type"));
        Instant createdAt = instant(text(order, "placed_at"), "placed_at");
        if (createdAt == null) {
            createdAt = context.receivedAt();
        }
        OffsetDateTime readyAt = dateTime(text(order, "estimated_ready_for_pickup_at"),
                "estimated_ready_for_pickup_at");
        CanonicalOrder.Fulfilment fulfilment = new CanonicalOrder.Fulfilment(location.timeZone(),
                scheduled ? readyAt : null, scheduled ? null : readyAt, null,
                "DELIVERY_BY_RESTAURANT".equals(text(order, "type")) ? address(order.path("eater")) : null);

        String id = text(order, "id") == null ? orderId : text(order, "id");
        return new CanonicalOrder(CanonicalOrder.SCHEMA_VERSION, context.orderId(),
                List.of(new ExternalId(adapter.id(), id)), adapter.id(), adapter.descriptor().channel(),
                location.brandId(), location.id(), text(order, "display_id"), type, OrderStatus.ACCEPTED, 1,
                context.correlationId(), createdAt, createdAt, currency, lines, canonicalCharges,
                customer(order.path("eater")), payments(charges, total), fulfilment,
                text(cart, "special_instructions"), List.of());
    }

    private OrderLine line(JsonNode item, Map<String, Menu.Item> menuItems) {
        String itemId = merchantId(item, "cart item");
        String lineId = text(item, "instance_id") == null ? text(item, "id") : text(item, "instance_id");
        int quantity = quantity(item, "item " + itemId);
        Money unit = basePrice(item, "item " + itemId);
        List<Modifier> modifiers = modifiers(item, "item " + itemId);
        Menu.Item menuItem = menuItems.get(itemId);
        return new OrderLine(lineId == null ? itemId : lineId, itemId,
                text(item, "title") == null ? itemId : text(item, "title"), quantity, unit, modifiers,
                Pricing.lineTotal(unit, modifiers, quantity), text(item, "special_instructions"), allergies(item),
                menuItem == null ? null : menuItem.station());
    }

    /** {@code selected_modifier_groups[].selected_items[]}: each chosen option is a full item and may nest. */
    private List<Modifier> modifiers(JsonNode parent, String where) {
        List<Modifier> out = new ArrayList<>();
        JsonNode groups = parent.get("selected_modifier_groups");
        if (groups == null || groups.isNull()) {
            return out;
        }
        if (!groups.isArray()) {
            throw new PermanentFailure("ubereats: " + where + " selected_modifier_groups is not a list");
        }
        for (JsonNode group : groups) {
            String groupId = merchantId(group, "modifier group of " + where);
            JsonNode selected = group.get("selected_items");
            if (selected == null || !selected.isArray()) {
                continue;
            }
            for (JsonNode option : selected) {
                String optionId = merchantId(option, "option of " + where);
                String at = where + " > " + optionId;
                out.add(new Modifier(optionId, groupId, text(option, "title") == null ? optionId
                        : text(option, "title"), quantity(option, at), basePrice(option, at), modifiers(option, at)));
            }
        }
        return out;
    }

    /** The merchant's id ({@code external_data}), else Uber's {@code id}. */
    private static String merchantId(JsonNode node, String what) {
        String id = text(node, "external_data");
        if (id == null) {
            id = text(node, "id");
        }
        if (id == null) {
            throw new PermanentFailure("ubereats: " + what + " has neither external_data nor id");
        }
        return id;
    }

    private static int quantity(JsonNode node, String where) {
        JsonNode q = node.get("quantity");
        if (q == null || !q.canConvertToInt() || !q.isIntegralNumber() || q.asInt() < 1) {
            throw new PermanentFailure("ubereats: " + where + " has no whole positive quantity");
        }
        return q.asInt();
    }

    /** One unit without its options: {@code price.base_unit_price} ({@code unit_price} includes the options). */
    private Money basePrice(JsonNode node, String where) {
        JsonNode price = node.path("price");
        Money base = money(price, "base_unit_price", false);
        if (base != null) {
            return base;
        }
        throw new PermanentFailure("ubereats: " + where + " has no price.base_unit_price");
    }

    /** {@code special_requests.allergy}: allergens to exclude and the eater's allergy note (object or list). */
    private static List<String> allergies(JsonNode item) {
        List<String> out = new ArrayList<>();
        JsonNode requests = item.get("special_requests");
        if (requests == null || requests.isNull()) {
            return out;
        }
        for (JsonNode request : requests.isArray() ? requests : List.of(requests)) {
            JsonNode allergy = request.path("allergy");
            for (JsonNode allergen : allergy.path("allergens_to_exclude")) {
                String a = allergen.isTextual() ? allergen.asText() : text(allergen, "type");
                if (a != null && !a.isBlank()) {
                    out.add(a);
                }
            }
            String note = text(allergy, "allergy_instructions");
            if (note != null) {
                out.add(note);
            }
        }
        return out;
    }

    /**
     * Merchant-funded promotions: each {@code payment.promotions} entry ({@code promo_type},
     * {@code promo_discount_value} in minor units); without a list, {@code charges.total_promo_applied}.
     */
    private List<Adjustment> discounts(JsonNode payment, JsonNode charges) {
        List<Adjustment> out = new ArrayList<>();
        JsonNode promotions = payment.path("promotions");
        JsonNode list = promotions.isArray() ? promotions : promotions.path("promotions");
        for (JsonNode promo : list) {
            JsonNode value = promo.get("promo_discount_value");
            if (value == null || value.isNull()) {
                continue;
            }
            if (!value.isIntegralNumber()) {
                throw new PermanentFailure("ubereats: promo_discount_value is not a whole number of minor units");
            }
            if (value.asLong() > 0) {
                String type = text(promo, "promo_type") == null ? "PROMOTION" : text(promo, "promo_type");
                String code = text(promo, "external_promotion_id") == null ? type.toLowerCase(Locale.ROOT)
                        : text(promo, "external_promotion_id");
                out.add(new Adjustment(code, "Uber Eats promotion " + type, Money.ofMinor(value.asLong(), currency)));
            }
        }
        if (out.isEmpty()) {
            Money applied = money(charges, "total_promo_applied", false);
            if (applied != null && applied.amount() > 0) {
                out.add(new Adjustment("promotion", "Uber Eats promotion", applied));
            }
        }
        return out;
    }

    private void fee(List<Adjustment> fees, JsonNode charges, String field, String code, String description) {
        Money m = money(charges, field, false);
        if (m != null && m.amount() > 0) {
            fees.add(new Adjustment(code, description, m));
        }
    }

    /** First name and last initial as Uber shares them; the phone is Uber's masked line (with phone_code). */
    private static CanonicalOrder.Customer customer(JsonNode eater) {
        String first = text(eater, "first_name");
        String last = text(eater, "last_name");
        String name = first == null ? last : last == null ? first : first + " " + last;
        String phone = text(eater, "phone");
        if (name == null && phone == null) {
            return null;
        }
        String code = text(eater, "phone_code");
        return new CanonicalOrder.Customer(name, phone == null || code == null ? phone : phone + " (code " + code + ")",
                null, null);
    }

    /** Uber collects the money; cash orders (merchant delivery) have {@code cash_amount_due}. */
    private List<CanonicalOrder.PaymentRef> payments(JsonNode charges, Money total) {
        Money cash = money(charges, "cash_amount_due", false);
        if (cash != null && cash.amount() > 0) {
            List<CanonicalOrder.PaymentRef> refs = new ArrayList<>();
            refs.add(new CanonicalOrder.PaymentRef("cash", null, null, null, null, cash, "due"));
            if (total.amount() > cash.amount()) {
                refs.add(new CanonicalOrder.PaymentRef("platform", "uber-eats", null, null, null, total.minus(cash),
                        "paid"));
            }
            return refs;
        }
        return List.of(new CanonicalOrder.PaymentRef("platform", "uber-eats", null, null, null, total, "paid"));
    }

    /** Restaurant-delivered orders only: the eater's drop-off (shape unverified, see README). */
    private static CanonicalOrder.DeliveryAddress address(JsonNode eater) {
        JsonNode delivery = eater.path("delivery");
        JsonNode location = delivery.path("location");
        String line1 = text(location, "street_address");
        if (line1 == null) {
            return null;
        }
        return new CanonicalOrder.DeliveryAddress(line1, text(location, "unit_number"), null, null, null,
                text(delivery, "notes"));
    }

    private static OrderType type(String type) {
        if (type == null) {
            throw new PermanentFailure("ubereats: order has no type");
        }
        return switch (type) {
            case "PICK_UP" -> OrderType.PICKUP;
            case "DINE_IN" -> OrderType.DINE_IN;
            case "DELIVERY_BY_UBER", "DELIVERY_BY_RESTAURANT" -> OrderType.DELIVERY;
            default -> throw new PermanentFailure("ubereats: unknown order type '" + type + "'");
        };
    }

    /** A money object in minor units; its currency must be the location's. */
    private Money money(JsonNode parent, String field, boolean required) {
        JsonNode m = parent == null ? null : parent.get(field);
        if (m == null || m.isNull() || m.isMissingNode()) {
            if (required) {
                throw new PermanentFailure("ubereats: order has no " + field);
            }
            return null;
        }
        JsonNode amount = m.get("amount");
        if (amount == null || !amount.isIntegralNumber()) {
            throw new PermanentFailure("ubereats: " + field + ".amount is not a whole number of minor units");
        }
        String code = text(m, "currency_code");
        if (code != null && !code.equalsIgnoreCase(currency)) {
            throw new OrderRejected(List.of("currency " + code + " does not match location currency " + currency));
        }
        return Money.ofMinor(amount.asLong(), currency);
    }

    private Money orZero(Money m) {
        return m == null ? Money.zero(currency) : m;
    }

    private static Instant instant(String value, String field) {
        OffsetDateTime t = dateTime(value, field);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime dateTime(String value, String field) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new PermanentFailure("ubereats: " + field + " '" + value + "' is not an ISO-8601 date-time", e);
        }
    }

    private static String text(JsonNode node, String field) {
        return UberEatsAdapter.text(node, field);
    }
}
