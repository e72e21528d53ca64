package opendelivery;

import com.fasterxml.jackson.databind.DeserializationFeature;
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
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An Open Delivery {@code Order} (GET /v1/orders/{orderId}) to the canonical order. */
final class OrderMapper {

    private OrderMapper() {
    }

    static CanonicalOrder map(JsonNode o, TranslationContext context, AdapterContext adapter) {
        String vendorOrderId = OpenDeliveryAdapter.requiredText(o, "id", "order");
        String where = "order " + vendorOrderId;
        String merchantId = OpenDeliveryAdapter.requiredText(o.path("merchant"), "id", where + " merchant");
        Menu.Location location = adapter.locationForStore(merchantId)
                .orElseThrow(() -> new OrderRejected(List.of("unknown opendelivery store '" + merchantId + "'")));
        String currency = location.currency();
        Map<String, Menu.Item> menuItems = adapter.menu(location.id()).map(Menu::itemsById).orElse(Map.of());

        JsonNode items = o.path("items");
        if (!items.isArray() || items.isEmpty()) {
            throw new PermanentFailure("opendelivery: " + where + " has no items");
        }
        List<OrderLine> lines = new ArrayList<>();
        for (JsonNode item : items) {
            lines.add(line(item, currency, menuItems, where));
        }
        Money subtotal = Pricing.subtotal(lines, currency);

        List<Adjustment> discounts = new ArrayList<>();
        for (JsonNode d : o.path("discounts")) {
            discounts.add(discount(d, currency, where));
        }
        List<Adjustment> fees = new ArrayList<>();
        Money tip = Money.zero(currency);
        for (JsonNode f : o.path("otherFees")) {
            String type = OpenDeliveryAdapter.requiredText(f, "type", where + " otherFees entry");
            Money price = price(f.path("price"), currency, where + " otherFees " + type);
            String name = f.path("name").asText(null);
            switch (type) {
                case "TIP" -> tip = tip.plus(price);
                case "DELIVERY_FEE" -> fees.add(new Adjustment("delivery", name, price));
                case "SERVICE_FEE" -> fees.add(new Adjustment("service", name, price));
                default -> fees.add(new Adjustment(type.toLowerCase(Locale.ROOT), name, price));
            }
        }
        JsonNode total = o.path("total");
        Money orderAmount = price(total.path("orderAmount"), currency, where + " total.orderAmount");
        checkTotals(o, total, subtotal, discounts, fees, tip, orderAmount, currency, where);
        // Open Delivery orders carry no tax: for VAT-inclusive menus the VAT inside the prices is carved out
        // with the hub's rule (informational, the total stays the vendor's); otherwise no tax was charged.
        Money tax = location.taxIncluded()
                ? Pricing.charges(lines, discounts, fees, tip, location).tax() : Money.zero(currency);
        CanonicalOrder.Charges charges = new CanonicalOrder.Charges(subtotal, List.copyOf(discounts), tax,
                List.copyOf(fees), tip, orderAmount);

        Instant createdAt = o.hasNonNull("createdAt")
                ? dateTime(o.path("createdAt"), where + " createdAt").toInstant() : context.receivedAt();
        OrderType type = orderType(OpenDeliveryAdapter.requiredText(o, "type", where), where);
        return new CanonicalOrder(CanonicalOrder.SCHEMA_VERSION, context.orderId(),
                List.of(new ExternalId(OpenDeliveryAdapter.VENDOR, vendorOrderId)), OpenDeliveryAdapter.VENDOR,
                adapter.descriptor().channel(), location.brandId(), location.id(), o.path("displayId").asText(null),
                type, OrderStatus.ACCEPTED, 1, context.correlationId(), createdAt, createdAt, currency, lines,
                charges, customer(o.path("customer")), payments(o.path("payments"), currency, where),
                fulfilment(o, type, location, where), blankToNull(o.path("extraInfo").asText(null)), List.of());
    }

    private static OrderLine line(JsonNode item, String currency, Map<String, Menu.Item> menuItems, String where) {
        String lineId = OpenDeliveryAdapter.requiredText(item, "id", where + " item");
        String at = where + " item " + lineId;
        String itemId = OpenDeliveryAdapter.requiredText(item, "externalCode", at);
        int quantity = wholeNumber(decimal(item.path("quantity"), at + " quantity"), at + " quantity");
        Money unitPrice = price(item.path("unitPrice"), currency, at + " unitPrice");
        Menu.Item menuItem = menuItems.get(itemId);
        List<Modifier> modifiers = ModifierTree.build(item.path("options"), menuItem, currency, at);
        Money lineTotal = Pricing.lineTotal(unitPrice, modifiers, quantity);
        if (item.has("totalPrice")) {
            Money vendorTotal = price(item.path("totalPrice"), currency, at + " totalPrice");
            if (!vendorTotal.equals(lineTotal)) {
                throw new OrderRejected(List.of(at + ": totalPrice " + vendorTotal.toMajor() + " is not quantity x "
                        + "(unitPrice + options) = " + lineTotal.toMajor()));
            }
        }
        String name = item.path("name").asText(menuItem == null ? itemId : menuItem.name());
        return new OrderLine(lineId, itemId, name, quantity, unitPrice, modifiers, lineTotal,
                blankToNull(item.path("specialInstructions").asText(null)), List.of(),
                menuItem == null ? null : menuItem.station());
    }

    /** Vendor arithmetic: itemsPrice = sum of items, orderAmount = itemsPrice + otherFees - discount. */
    private static void checkTotals(JsonNode o, JsonNode total, Money subtotal, List<Adjustment> discounts,
                                    List<Adjustment> fees, Money tip, Money orderAmount, String currency,
                                    String where) {
        List<String> problems = new ArrayList<>();
        if (total.has("itemsPrice")) {
            Money itemsPrice = price(total.path("itemsPrice"), currency, where + " total.itemsPrice");
            if (!itemsPrice.equals(subtotal)) {
                problems.add(where + ": total.itemsPrice " + itemsPrice.toMajor() + " is not the sum of the items "
                        + subtotal.toMajor());
            }
        }
        Money expected = subtotal.minus(Pricing.sum(discounts, currency)).plus(Pricing.sum(fees, currency)).plus(tip);
        if (!expected.equals(orderAmount)) {
            problems.add(where + ": total.orderAmount " + orderAmount.toMajor() + " is not items + otherFees - "
                    + "discounts = " + expected.toMajor());
        }
        if (!problems.isEmpty()) {
            throw new OrderRejected(problems);
        }
    }

    /** Code: the sponsor's discountCode (coupon/campaign) if any, else the target; amount as a positive value. */
    private static Adjustment discount(JsonNode d, String currency, String where) {
        String target = d.path("target").asText("CART");
        Money amount = price(d.path("amount"), currency, where + " discount");
        String code = null;
        List<String> sponsors = new ArrayList<>();
        for (JsonNode s : d.path("sponsorshipValues")) {
            if (code == null && s.hasNonNull("discountCode") && !s.path("discountCode").asText().isBlank()) {
                code = s.path("discountCode").asText();
            }
            if (s.hasNonNull("name")) {
                sponsors.add(s.path("name").asText());
            }
        }
        String description = target.toLowerCase(Locale.ROOT).replace('_', ' ') + " discount"
                + (sponsors.isEmpty() ? "" : " sponsored by " + String.join(", ", sponsors).toLowerCase(Locale.ROOT));
        return new Adjustment(code != null ? code : target.toLowerCase(Locale.ROOT), description, amount);
    }

    private static CanonicalOrder.Customer customer(JsonNode c) {
        if (!c.isObject()) {
            return null;
        }
        return new CanonicalOrder.Customer(blankToNull(c.path("name").asText(null)),
                blankToNull(c.path("phone").path("number").asText(null)), blankToNull(c.path("email").asText(null)),
                null);
    }

    /** References only: method, card brand, amount and whether it is prepaid or to be paid on delivery. */
    private static List<CanonicalOrder.PaymentRef> payments(JsonNode p, String currency, String where) {
        List<CanonicalOrder.PaymentRef> out = new ArrayList<>();
        for (JsonNode m : p.path("methods")) {
            String method = OpenDeliveryAdapter.requiredText(m, "method", where + " payment");
            if (m.hasNonNull("currency") && !currency.equals(m.path("currency").asText())) {
                throw new OrderRejected(List.of(where + ": payment currency " + m.path("currency").asText()
                        + " does not match location currency " + currency));
            }
            out.add(new CanonicalOrder.PaymentRef(method.toLowerCase(Locale.ROOT),
                    m.hasNonNull("brand") ? m.path("brand").asText().toLowerCase(Locale.ROOT) : null, null, null,
                    null, Money.ofMajor(decimal(m.path("value"), where + " payment value"), currency),
                    m.hasNonNull("type") ? m.path("type").asText().toLowerCase(Locale.ROOT) : null));
        }
        return out;
    }

    private static CanonicalOrder.Fulfilment fulfilment(JsonNode o, OrderType type, Menu.Location location,
                                                        String where) {
        boolean scheduled = "SCHEDULED".equals(o.path("orderTiming").asText());
        OffsetDateTime scheduledFor = null;
        OffsetDateTime promisedAt = null;
        if (scheduled) {
            scheduledFor = dateTime(o.path("schedule").path("scheduledDateTimeStart"),
                    where + " schedule.scheduledDateTimeStart");
        } else {
            JsonNode at = switch (type) {
                case DELIVERY -> o.path("delivery").path("estimatedDeliveryDateTime");
                case PICKUP -> o.path("takeout").path("takeoutDateTime");
                default -> o.path("indoor").path("indoorDateTime");
            };
            promisedAt = at.isMissingNode() || at.isNull() ? null : dateTime(at, where + " promised time");
        }
        JsonNode indoor = o.path("indoor");
        String table = blankToNull(indoor.path("place").asText(indoor.path("tab").asText(null)));
        CanonicalOrder.DeliveryAddress address = null;
        JsonNode delivery = o.path("delivery");
        // Only an order the restaurant delivers itself needs the address; the platform's couriers have it.
        if (type == OrderType.DELIVERY && "MERCHANT".equals(delivery.path("deliveredBy").asText())) {
            JsonNode a = delivery.path("deliveryAddress");
            String street = a.path("street").asText("");
            String number = a.path("number").asText("");
            String line1 = (street + (number.isEmpty() ? "" : ", " + number)).trim();
            address = new CanonicalOrder.DeliveryAddress(blankToNull(line1),
                    blankToNull(a.path("complement").asText(null)), blankToNull(a.path("city").asText(null)),
                    blankToNull(a.path("postalCode").asText(null)), blankToNull(a.path("country").asText(null)),
                    blankToNull(a.path("reference").asText(null)));
        }
        return new CanonicalOrder.Fulfilment(location.timeZone(), scheduledFor, promisedAt, table, address);
    }

    private static OrderType orderType(String type, String where) {
        return switch (type) {
            case "DELIVERY" -> OrderType.DELIVERY;
            case "TAKEOUT" -> OrderType.PICKUP;
            case "INDOOR" -> OrderType.DINE_IN;
            default -> throw new PermanentFailure("opendelivery: " + where + " has unknown type '" + type + "'");
        };
    }

    /** A Price {value, currency}; the currency must be the location's. */
    static Money price(JsonNode price, String currency, String where) {
        if (!price.isObject()) {
            throw new PermanentFailure("opendelivery: " + where + " is missing or not a {value, currency} price");
        }
        String c = price.path("currency").asText(currency);
        if (!currency.equals(c)) {
            throw new OrderRejected(List.of(where + ": currency " + c + " does not match location currency "
                    + currency));
        }
        return Money.ofMajor(decimal(price.path("value"), where + " value"), currency);
    }

    /**
     * A decimal as the vendor wrote it: a BigDecimal node when the tree was read with BigDecimal floats,
     * otherwise the node's text (never its double value).
     */
    static BigDecimal decimal(JsonNode n, String where) {
        if (n == null || !(n.isNumber() || n.isTextual())) {
            throw new PermanentFailure("opendelivery: " + where + " is missing or not a number");
        }
        try {
            return n.isBigDecimal() || n.isIntegralNumber() ? n.decimalValue() : new BigDecimal(n.asText().trim());
        } catch (NumberFormatException e) {
            throw new PermanentFailure("opendelivery: " + where + " is not a number: " + n.asText(), e);
        }
    }

    static int wholeNumber(BigDecimal d, String where) {
        try {
            int n = d.stripTrailingZeros().intValueExact();
            if (n <= 0) {
                throw new PermanentFailure("opendelivery: " + where + " must be positive, is " + d);
            }
            return n;
        } catch (ArithmeticException e) {
            throw new PermanentFailure("opendelivery: " + where + " " + d.toPlainString()
                    + " is fractional (weighed items are not supported)", e);
        }
    }

    private static OffsetDateTime dateTime(JsonNode n, String where) {
        if (!n.isTextual()) {
            throw new PermanentFailure("opendelivery: " + where + " is missing or not a date-time");
        }
        try {
            return OffsetDateTime.parse(n.asText());
        } catch (DateTimeParseException e) {
            throw new PermanentFailure("opendelivery: " + where + " is not an RFC 3339 date-time: " + n.asText(), e);
        }
    }

    /** Reads JSON keeping every decimal as BigDecimal (exact), for money. */
    static JsonNode readDecimalTree(AdapterContext adapter, String text, String what) {
        try {
            JsonNode node = text == null ? null
                    : adapter.json().reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new PermanentFailure("opendelivery: " + what + " answered with an empty body");
            }
            return node;
        } catch (IOException e) {
            throw new PermanentFailure("opendelivery: " + what + " answered with a body that is not JSON", e);
        }
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
