package clover;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.adapter.AdapterContext;
import io.orderhub.adapter.VendorAdapter.TranslationContext;
import io.orderhub.menu.Menu;
import io.orderhub.menu.Pricing;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.model.CanonicalOrder.Adjustment;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Clover order rung up at the register ({@code GET /v3/merchants/{mId}/orders/{id}} with line items,
 * modifications and discounts expanded) as a canonical order. Clover money is integer cents, the canonical
 * convention, so amounts pass unchanged; Clover items are matched to the location's menu. See README.md.
 */
final class CloverOrderMapper {

    /** Clover's {@code unitQty} is in thousandths of a unit (the Clover SDK's OrderCalc divides it by 1000). */
    private static final long UNIT_QUANTITY_DIVISOR = 1000;
    private static final int MAX_LINES = 500;
    private static final int MAX_QUANTITY = 999;
    private static final int MAX_MODIFIER_QUANTITY = 99;

    private final AdapterContext adapter;
    private final Menu.Location location;
    private final Menu menu;
    private final String currency;
    private final String orderId;

    CloverOrderMapper(AdapterContext adapter, Menu.Location location, String orderId) {
        this.adapter = adapter;
        this.location = location;
        this.menu = adapter.menu(location.id()).orElse(null);
        this.currency = location.currency();
        this.orderId = orderId;
    }

    /** One Clover line item read: what it becomes, and its own discounts (which keep it from being grouped). */
    private record Line(OrderLine line, List<JsonNode> discounts) {
    }

    CanonicalOrder map(JsonNode order, List<JsonNode> lineItems, TranslationContext context) {
        String orderCurrency = CloverJson.text(order, "currency");
        if (orderCurrency != null && !orderCurrency.equalsIgnoreCase(currency)) {
            throw new OrderRejected(List.of("clover order " + orderId + " is in " + CloverJson.clip(orderCurrency, 8)
                    + ", location " + location.id() + " takes " + currency));
        }
        List<Line> read = new ArrayList<>();
        for (int i = 0; i < lineItems.size(); i++) {
            read.add(line(lineItems.get(i), i + 1));
        }
        List<OrderLine> lines = group(read);
        if (lines.size() > MAX_LINES) {
            throw new OrderRejected(List.of("clover order " + orderId + " has " + lines.size()
                    + " different lines; the hub takes at most " + MAX_LINES));
        }
        Money subtotal = Pricing.subtotal(lines, currency);

        List<Adjustment> discounts = new ArrayList<>();
        for (Line line : read) {
            for (JsonNode d : line.discounts()) {
                discounts.add(discount(d, line.line().lineTotal(), "line " + line.line().lineId()));
            }
        }
        Money afterLineDiscounts = subtotal.minus(Pricing.sum(discounts, currency));
        for (JsonNode d : CloverJson.elements(order.get("discounts"))) {
            discounts.add(discount(d, afterLineDiscounts, "order"));
        }
        Money discounted = subtotal.minus(Pricing.sum(discounts, currency));
        List<Adjustment> fees = new ArrayList<>();
        serviceCharge(order.get("serviceCharge"), discounted).ifPresent(fees::add);

        Money total = Money.ofMinor(CloverJson.cents(order, "total", "order " + orderId), currency);
        Money beforeTax = discounted.plus(Pricing.sum(fees, currency));
        Money tax = total.minus(beforeTax);
        if (tax.amount() < 0) {
            throw new PermanentFailure("clover order " + orderId + ": total " + total.amount()
                    + " is below items - discounts + service charge = " + beforeTax.amount()
                    + "; the tax cannot be read from it (a discount or charge this adapter does not know?)");
        }
        var charges = new CanonicalOrder.Charges(subtotal, List.copyOf(discounts), tax, List.copyOf(fees),
                Money.zero(currency), total);

        Instant created = createdAt(order, context.receivedAt());
        String title = CloverJson.nonBlank(CloverJson.text(order, "title"));
        String note = CloverJson.nonBlank(CloverJson.text(order, "note"));
        return new CanonicalOrder(CanonicalOrder.SCHEMA_VERSION, context.orderId(),
                List.of(new CanonicalOrder.ExternalId(adapter.id(), orderId)), adapter.id(),
                adapter.descriptor().channel(), location.brandId(), location.id(),
                title == null ? orderId : CloverJson.clip(title, 64), type(order.get("orderType")),
                OrderStatus.ACCEPTED, 1, context.correlationId(), created, context.receivedAt(), currency, lines,
                charges, null, List.of(), new CanonicalOrder.Fulfilment(location.timeZone(), null, null, null, null),
                note == null ? null : CloverJson.clip(note, 2000), List.of());
    }

    private Line line(JsonNode li, int position) {
        String lineId = CloverJson.isSafeId(CloverJson.text(li, "id")) ? CloverJson.text(li, "id") : "line-" + position;
        String where = "order " + orderId + " line " + lineId;
        String name = CloverJson.nonBlank(CloverJson.text(li, "name"));
        if (name == null) {
            throw new PermanentFailure("clover: " + where + " has no name");
        }
        Money unit = Money.ofMinor(CloverJson.cents(li, "price", where), currency);
        int quantity = quantity(li, where);
        Optional<Menu.Item> known = item(li, name);
        String cloverItem = CloverJson.text(li.get("item"), "id");
        String itemId = known.map(Menu.Item::id).orElse(CloverJson.nonBlank(cloverItem) != null ? cloverItem : name);

        // one modification per choice and unit of the line; the same modifier twice is quantity 2
        Map<String, Modifier> modifiers = new LinkedHashMap<>();
        for (JsonNode m : CloverJson.elements(li.get("modifications"))) {
            String modName = CloverJson.nonBlank(CloverJson.text(m, "name"));
            if (modName == null) {
                throw new PermanentFailure("clover: " + where + " has a modification without a name");
            }
            long amount = CloverJson.cents(m, "amount", where + " modification " + CloverJson.clip(modName, 40));
            String cloverModifier = CloverJson.text(m.get("modifier"), "id");
            String key = cloverModifier + "|" + modName + "|" + amount;
            Modifier seen = modifiers.get(key);
            if (seen != null) {
                if (seen.quantity() >= MAX_MODIFIER_QUANTITY) {
                    throw new OrderRejected(List.of("clover " + where + ": " + modName + " more than "
                            + MAX_MODIFIER_QUANTITY + " times"));
                }
                modifiers.put(key, new Modifier(seen.modifierId(), seen.groupId(), seen.name(), seen.quantity() + 1,
                        seen.unitPrice(), List.of()));
                continue;
            }
            Optional<Map.Entry<Menu.ModifierGroup, Menu.Option>> option = known.flatMap(i -> option(i, modName));
            String modifierId = option.map(o -> o.getValue().id()).orElse(
                    CloverJson.nonBlank(cloverModifier) != null ? cloverModifier : modName);
            modifiers.put(key, new Modifier(CloverJson.clip(modifierId, 128),
                    option.map(o -> o.getKey().id()).orElse(null), CloverJson.clip(modName, 255), 1,
                    Money.ofMinor(amount, currency), List.of()));
        }
        List<Modifier> mods = List.copyOf(modifiers.values());
        String note = CloverJson.nonBlank(CloverJson.text(li, "note"));
        OrderLine line = new OrderLine(lineId, CloverJson.clip(itemId, 128), CloverJson.clip(name, 255), quantity,
                unit, mods, Pricing.lineTotal(unit, mods, quantity), note == null ? null : CloverJson.clip(note, 1000),
                List.of(), known.map(Menu.Item::station).orElse(null));
        return new Line(line, CloverJson.elements(li.get("discounts")));
    }

    /** No {@code unitQty}: one unit (the register adds one line item per unit). Else whole units only. */
    private static int quantity(JsonNode li, String where) {
        Long unitQty = CloverJson.optionalCents(li, "unitQty", where);
        if (unitQty == null) {
            return 1;
        }
        if (unitQty <= 0 || unitQty % UNIT_QUANTITY_DIVISOR != 0) {
            throw new OrderRejected(List.of("clover " + where + ": quantity "
                    + BigDecimal.valueOf(unitQty, 3).stripTrailingZeros().toPlainString()
                    + " (unitQty " + unitQty + ") is not a whole number of units; the hub takes whole quantities"));
        }
        long units = unitQty / UNIT_QUANTITY_DIVISOR;
        if (units > MAX_QUANTITY) {
            throw new OrderRejected(List.of("clover " + where + ": quantity " + units + " is more than "
                    + MAX_QUANTITY));
        }
        return (int) units;
    }

    /**
     * Identical line items (same item, name, price, note and modifications, no discount of their own) become one
     * line with their quantities added, as Clover's own receipts group "similar" line items.
     */
    private static List<OrderLine> group(List<Line> read) {
        Map<String, OrderLine> grouped = new LinkedHashMap<>();
        int ungrouped = 0;
        for (Line l : read) {
            OrderLine line = l.line();
            String key = l.discounts().isEmpty() ? String.join("\u0000", line.itemId(), line.name(),
                    Long.toString(line.unitPrice().amount()), String.valueOf(line.notes()),
                    line.modifiers().toString()) : "\u0001" + ungrouped++;
            OrderLine seen = grouped.get(key);
            if (seen == null) {
                grouped.put(key, line);
                continue;
            }
            int quantity = seen.quantity() + line.quantity();
            if (quantity > MAX_QUANTITY) {
                throw new OrderRejected(List.of("clover line " + seen.lineId() + " (" + seen.name() + "): quantity "
                        + quantity + " is more than " + MAX_QUANTITY));
            }
            grouped.put(key, new OrderLine(seen.lineId(), seen.itemId(), seen.name(), quantity, seen.unitPrice(),
                    seen.modifiers(), Pricing.lineTotal(seen.unitPrice(), seen.modifiers(), quantity), seen.notes(),
                    seen.allergies(), seen.station()));
        }
        return List.copyOf(grouped.values());
    }

    /**
     * The hub menu item a Clover line item stands for: its product code ({@code itemCode}) when that is a hub item
     * id, else the item whose name is the line's name or alternate name (case and spacing ignored).
     */
    private Optional<Menu.Item> item(JsonNode li, String name) {
        if (menu == null) {
            return Optional.empty();
        }
        String code = CloverJson.nonBlank(CloverJson.text(li, "itemCode"));
        if (code != null) {
            Menu.Item byCode = menu.itemsById().get(code);
            if (byCode != null) {
                return Optional.of(byCode);
            }
        }
        for (String candidate : new String[] {name, CloverJson.text(li, "alternateName")}) {
            String wanted = CloverJson.norm(candidate);
            if (wanted.isEmpty()) {
                continue;
            }
            for (Menu.Item item : menu.items()) {
                if (CloverJson.norm(item.name()).equals(wanted)) {
                    return Optional.of(item);
                }
            }
        }
        return Optional.empty();
    }

    /** The option of the item's modifier groups whose name (or id) is the modification's name. */
    private static Optional<Map.Entry<Menu.ModifierGroup, Menu.Option>> option(Menu.Item item, String name) {
        String wanted = CloverJson.norm(name);
        for (Menu.ModifierGroup group : item.groups()) {
            for (Menu.Option option : group.options() == null ? List.<Menu.Option>of() : group.options()) {
                if (CloverJson.norm(option.name()).equals(wanted) || option.id().equals(name)) {
                    return Optional.of(Map.entry(group, option));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A Clover discount ({@code amount} in cents, zero or negative, or a whole {@code percentage}) as a positive
     * canonical discount; a percentage applies to {@code base}, rounded half-even.
     */
    private Adjustment discount(JsonNode d, Money base, String scope) {
        String name = CloverJson.nonBlank(CloverJson.text(d, "name"));
        String id = CloverJson.text(d, "id");
        String what = "order " + orderId + " " + scope + " discount " + (name == null ? "" : CloverJson.clip(name, 40));
        Long amount = CloverJson.optionalCents(d, "amount", what);
        long off;
        if (amount != null) {
            if (amount > 0) {
                throw new PermanentFailure("clover: " + what + " amount " + amount
                        + " is positive (Clover discounts are zero or negative)");
            }
            off = -amount;
        } else {
            BigDecimal percent = CloverJson.percentage(d, "percentage", what);
            if (percent == null) {
                throw new PermanentFailure("clover: " + what + " has neither amount nor percentage");
            }
            off = BigDecimal.valueOf(base.amount()).multiply(percent)
                    .divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_EVEN).longValueExact();
        }
        String code = CloverJson.isSafeId(id) ? "clover-discount:" + id : "clover-discount";
        return new Adjustment(code, name == null ? null : CloverJson.clip(name, 255), Money.ofMinor(off, currency));
    }

    /** Clover's optional order service charge: a whole percentage of the discounted items, rounded half-even. */
    private Optional<Adjustment> serviceCharge(JsonNode charge, Money base) {
        if (charge == null || !charge.isObject()) {
            return Optional.empty();
        }
        BigDecimal percent = CloverJson.percentage(charge, "percentage", "order " + orderId + " service charge");
        if (percent == null || percent.signum() == 0) {
            return Optional.empty();
        }
        long amount = BigDecimal.valueOf(base.amount()).multiply(percent)
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_EVEN).longValueExact();
        String name = CloverJson.nonBlank(CloverJson.text(charge, "name"));
        return Optional.of(new Adjustment("clover-service-charge", name == null ? "Service charge"
                : CloverJson.clip(name, 255), Money.ofMinor(amount, currency)));
    }

    /**
     * Clover order types are the merchant's own (label "Dine In", "To Go", "Delivery"...): the label decides;
     * no order type, or one the label does not tell, is dine in.
     */
    static OrderType type(JsonNode orderType) {
        String label = CloverJson.norm(CloverJson.text(orderType, "label")) + " "
                + CloverJson.norm(CloverJson.text(orderType, "labelKey"));
        if (label.contains("deliver")) {
            return OrderType.DELIVERY;
        }
        if (label.contains("curbside")) {
            return OrderType.CURBSIDE;
        }
        if (label.contains("to go") || label.contains("to_go") || label.contains("togo") || label.contains("take")
                || label.contains("pick") || label.contains("carry")) {
            return OrderType.PICKUP;
        }
        return OrderType.DINE_IN;
    }

    private static Instant createdAt(JsonNode order, Instant fallback) {
        JsonNode created = order.get("createdTime");
        return created != null && created.isIntegralNumber() && created.canConvertToLong() && created.longValue() > 0
                ? Instant.ofEpochMilli(created.longValue()) : fallback;
    }
}
