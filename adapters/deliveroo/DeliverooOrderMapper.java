package deliveroo;

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
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One Deliveroo order ({@code body.order} of an Order Events webhook) as a canonical order. Money is
 * {@code {fractional, currency_code}}: already integer minor units.
 */
final class DeliverooOrderMapper {

    private DeliverooOrderMapper() {
    }

    static CanonicalOrder toCanonical(JsonNode o, TranslationContext context, AdapterContext adapter) {
        String orderId = text(o, "id");
        String storeId = text(o, "location_id");
        Menu.Location location = adapter.locationForStore(storeId)
                .orElseThrow(() -> new OrderRejected(List.of("unknown deliveroo store '" + storeId + "'")));
        String currency = location.currency();
        Menu menu = adapter.menu(location.id()).orElse(null);

        List<OrderLine> lines = lines(o, menu, currency);
        Money subtotal = Pricing.subtotal(lines, currency);

        // offer_discount: the restaurant-funded offer on this order (items' discount_amount are its share per
        // item [unverified], so they are not added a second time).
        List<Adjustment> discounts = new ArrayList<>();
        Money offer = optionalMoney(o, "offer_discount", currency);
        if (offer.amount() > 0) {
            discounts.add(new Adjustment("offer", "Deliveroo offer", offer));
        }
        List<Adjustment> fees = new ArrayList<>();
        Money bag = optionalMoney(o, "bag_fee", currency);
        if (bag.amount() > 0) {
            fees.add(new Adjustment("bag", "Bag fee", bag));
        }
        JsonNode breakdown = o.path("fee_breakdown");
        if (breakdown.isArray()) {
            for (JsonNode fee : breakdown) {
                Money amount = money(fee.path("amount"), "fee_breakdown[].amount", currency);
                if (amount.amount() != 0) {
                    String type = text(fee, "type");
                    fees.add(new Adjustment(type.toLowerCase(Locale.ROOT), type, amount));
                }
            }
        }
        Money discountTotal = Pricing.sum(discounts, currency);
        Money tax = vat(subtotal.minus(discountTotal), location);
        // Deliveroo says what the order totals for the restaurant: partner_order_total.
        Money total = money(o.path("partner_order_total"), "partner_order_total", currency);
        Money tip = Money.zero(currency);
        var charges = new CanonicalOrder.Charges(subtotal, discounts, tax, fees, tip, total);

        Instant receivedAt = context.receivedAt();
        Instant createdAt = placedAt(o).orElse(receivedAt);
        OrderType type = type(text(o, "fulfillment_type"));
        ZoneId zone = ZoneId.of(location.timeZone());
        boolean asap = o.path("asap").isBoolean() ? o.path("asap").booleanValue() : true;
        OffsetDateTime prepareFor = optionalTime(o, "prepare_for").map(t -> t.atZone(zone).toOffsetDateTime())
                .orElse(null);
        var fulfilment = new CanonicalOrder.Fulfilment(location.timeZone(), asap ? null : prepareFor,
                asap ? prepareFor : null, null, null);

        Money cashDue = optionalMoney(o, "cash_due", currency);
        List<CanonicalOrder.PaymentRef> payments = cashDue.amount() > 0
                ? List.of(new CanonicalOrder.PaymentRef("cash", ID, null, null, null, cashDue, "due"))
                : List.of(new CanonicalOrder.PaymentRef("platform", ID, null, null, null, total, "paid"));

        return new CanonicalOrder(CanonicalOrder.SCHEMA_VERSION, context.orderId(),
                List.of(new ExternalId(ID, orderId)), ID, adapter.descriptor().channel(), location.brandId(),
                location.id(), optionalText(o, "display_id"), type, OrderStatus.ACCEPTED, 1,
                context.correlationId(), createdAt, createdAt, currency, lines, charges, null, payments, fulfilment,
                notes(o), List.of());
    }

    private static final String ID = DeliverooAdapter.ID;

    private static List<OrderLine> lines(JsonNode o, Menu menu, String currency) {
        JsonNode items = o.path("items");
        if (!items.isArray() || items.isEmpty()) {
            throw new PermanentFailure("deliveroo: order " + o.path("id").asText() + " has no items");
        }
        List<OrderLine> lines = new ArrayList<>();
        int n = 1;
        for (JsonNode item : items) {
            String itemId = text(item, "pos_item_id");
            int quantity = integer(item, "quantity");
            if (quantity < 1) {
                throw new PermanentFailure("deliveroo: item " + itemId + " has quantity " + quantity);
            }
            Optional<Menu.Item> menuItem = Optional.ofNullable(menu == null ? null : menu.itemsById().get(itemId));
            Money unit = price(item, currency);
            List<Modifier> modifiers = modifiers(item.path("modifiers"),
                    menuItem.map(Menu.Item::groups).orElse(List.of()), currency);
            lines.add(new OrderLine(String.valueOf(n++), itemId, text(item, "name"), quantity, unit, modifiers,
                    Pricing.lineTotal(unit, modifiers, quantity), null, List.of(),
                    menuItem.map(Menu.Item::station).orElse(null)));
        }
        return lines;
    }

    /**
     * Deliveroo modifiers carry no group id: each option (pos_item_id) is looked up among the groups of its parent
     * in the location's menu. An option the menu does not know keeps a null group and fails validation.
     */
    private static List<Modifier> modifiers(JsonNode nodes, List<Menu.ModifierGroup> groups, String currency) {
        List<Modifier> out = new ArrayList<>();
        if (!nodes.isArray()) {
            return out;
        }
        for (JsonNode m : nodes) {
            String optionId = text(m, "pos_item_id");
            Menu.ModifierGroup group = groups.stream().filter(g -> g.option(optionId).isPresent()).findFirst()
                    .orElse(null);
            List<Menu.ModifierGroup> childGroups = group == null ? List.of()
                    : group.option(optionId).map(Menu.Option::groups).orElse(List.of());
            out.add(new Modifier(optionId, group == null ? null : group.id(), text(m, "name"),
                    m.has("quantity") ? integer(m, "quantity") : 1, price(m, currency),
                    modifiers(m.path("modifiers"), childGroups, currency)));
        }
        return out;
    }

    /** One unit at the menu price (menu_unit_price), without modifiers; unit_price where the menu price is absent. */
    private static Money price(JsonNode item, String currency) {
        JsonNode menuPrice = item.path("menu_unit_price");
        return menuPrice.isObject() ? money(menuPrice, "menu_unit_price", currency)
                : money(item.path("unit_price"), "unit_price", currency);
    }

    /** VAT inside a tax-inclusive total, or tax on top for tax-exclusive locations; half-even like Pricing. */
    private static Money vat(Money taxable, Menu.Location location) {
        BigDecimal rate = location.taxRatePercent() == null ? BigDecimal.ZERO : location.taxRatePercent();
        BigDecimal divisor = location.taxIncluded() ? BigDecimal.valueOf(100).add(rate) : BigDecimal.valueOf(100);
        return Money.ofMinor(BigDecimal.valueOf(taxable.amount()).multiply(rate)
                .divide(divisor, 0, RoundingMode.HALF_EVEN).longValueExact(), taxable.currency());
    }

    private static OrderType type(String fulfilmentType) {
        return switch (fulfilmentType) {
            case "deliveroo", "restaurant" -> OrderType.DELIVERY;
            case "customer" -> OrderType.PICKUP;
            case "table_service" -> OrderType.DINE_IN;
            default -> throw new PermanentFailure("deliveroo: unknown fulfillment_type '" + fulfilmentType + "'");
        };
    }

    /** order_notes, and cutlery_notes on a line of its own: both are for the kitchen. */
    private static String notes(JsonNode o) {
        String order = optionalText(o, "order_notes");
        String cutlery = optionalText(o, "cutlery_notes");
        if (cutlery != null) {
            cutlery = "Cutlery: " + cutlery;
        }
        if (order == null) {
            return cutlery;
        }
        return cutlery == null ? order : order + "\n" + cutlery;
    }

    /** The time the order reached "placed" in its status_log, else the log's first entry. */
    private static Optional<Instant> placedAt(JsonNode o) {
        JsonNode log = o.path("status_log");
        if (!log.isArray() || log.isEmpty()) {
            return Optional.empty();
        }
        for (JsonNode entry : log) {
            if ("placed".equals(entry.path("status").asText())) {
                return optionalTime(entry, "at");
            }
        }
        return optionalTime(log.get(0), "at");
    }

    private static Optional<Instant> optionalTime(JsonNode node, String field) {
        String value = optionalText(node, field);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException e) {
            throw new PermanentFailure("deliveroo: " + field + " '" + value + "' is not an ISO-8601 time", e);
        }
    }

    static Money money(JsonNode node, String field, String currency) {
        if (!node.isObject()) {
            throw new PermanentFailure("deliveroo: " + field + " is missing or not a money object");
        }
        JsonNode fractional = node.path("fractional");
        if (!fractional.isIntegralNumber()) {
            throw new PermanentFailure("deliveroo: " + field + ".fractional is not an integer");
        }
        String code = node.path("currency_code").asText("");
        if (!code.equalsIgnoreCase(currency)) {
            throw new OrderRejected(List.of("deliveroo " + field + " is in '" + code + "', the location's currency is "
                    + currency));
        }
        return Money.ofMinor(fractional.longValue(), currency);
    }

    private static Money optionalMoney(JsonNode o, String field, String currency) {
        JsonNode node = o.path(field);
        return node.isObject() ? money(node, field, currency) : Money.zero(currency);
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isTextual() && !value.isNumber()) {
            throw new PermanentFailure("deliveroo: " + field + " is missing or not a string");
        }
        String s = value.asText();
        if (s.isBlank()) {
            throw new PermanentFailure("deliveroo: " + field + " is empty");
        }
        return s;
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static int integer(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
            throw new PermanentFailure("deliveroo: " + field + " is missing or not a non-negative integer");
        }
        return value.intValue();
    }
}
