package square;

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
import io.orderhub.support.Text;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One Square order ({@code GET /v2/orders/{id}}, an order rung up at the POS or placed on Square Online) as a
 * canonical order. Square money is {@code Money{amount (integer minor units), currency}}, the canonical convention,
 * so amounts pass unchanged. Line items and modifiers become hub menu ids through setting
 * {@code catalog.<Square catalog object id>} (item variation -> item id, modifier -> "group/option"), else by name
 * against the location's menu; Square's flat modifier list is nested the way the menu nests its options.
 */
final class SquareOrderMapper {

    /** Square catalog object ids are upper-case base32-like text; anything else is not looked up as a setting. */
    private static final Pattern CATALOG_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern WHOLE = Pattern.compile("\\d{1,6}");
    private static final String UNMAPPED_GROUP = "square-unmapped";

    private final AdapterContext adapter;
    private final TranslationContext context;
    private String currency;
    private String orderId;

    SquareOrderMapper(AdapterContext adapter, TranslationContext context) {
        this.adapter = adapter;
        this.context = context;
    }

    CanonicalOrder map(JsonNode order, String squareOrderId, Menu.Location location, JsonNode fulfillment) {
        this.orderId = squareOrderId;
        this.currency = location.currency();
        Menu menu = adapter.menu(location.id()).orElse(null);

        JsonNode items = order.get("line_items");
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw new PermanentFailure("square: order " + orderId + " has no line_items");
        }
        List<OrderLine> lines = new ArrayList<>();
        int index = 0;
        for (JsonNode item : items) {
            lines.add(line(item, ++index, menu));
        }

        List<Adjustment> discounts = adjustments(order.get("discounts"), "discount");
        List<Adjustment> fees = adjustments(order.get("service_charges"), "service charge");
        Money subtotal = Pricing.subtotal(lines, currency);
        Money tax = money(order, "total_tax_money", "order");
        Money additiveTax = additiveTax(order.get("taxes"), tax, location);
        if (tax == null) {
            tax = taxes(order.get("taxes"), null);
        }
        Money tip = orZero(money(order, "total_tip_money", "order"));
        Money total = total(order, subtotal, discounts, fees, additiveTax, tip);

        OrderType type = type(fulfillment);
        JsonNode details = details(fulfillment);
        Instant createdAt = instant(text(order, "created_at"), "created_at");
        if (createdAt == null) {
            createdAt = context.receivedAt();
        }
        return new CanonicalOrder(CanonicalOrder.SCHEMA_VERSION, context.orderId(),
                List.of(new ExternalId(adapter.id(), orderId)), adapter.id(), SquareAdapter.channel(order),
                location.brandId(), location.id(), Text.clip(text(order, "ticket_name"), 64), type,
                OrderStatus.ACCEPTED, 1, context.correlationId(), createdAt, createdAt, currency, lines,
                new CanonicalOrder.Charges(subtotal, discounts, tax, fees, tip, total),
                customer(details), payments(order.get("tenders")), fulfilment(fulfillment, details, location),
                type == OrderType.DELIVERY ? null : Text.clip(text(details, "note"), 2000), List.of());
    }

    // ---- lines and modifiers

    private OrderLine line(JsonNode item, int index, Menu menu) {
        if (item == null || !item.isObject()) {
            throw new PermanentFailure("square: order " + orderId + " line " + index + " is not an object");
        }
        String uid = text(item, "uid");
        String where = "line " + (uid == null ? index : uid);
        String name = text(item, "name");
        if (name == null) {
            if (!"CUSTOM_AMOUNT".equals(text(item, "item_type"))) {
                throw new PermanentFailure("square: order " + orderId + " " + where + " has no name");
            }
            name = "Custom amount";
        }
        String variation = text(item, "variation_name");
        String shown = variation == null || variation.equalsIgnoreCase("Regular") ? name : name + " (" + variation + ")";
        int quantity = quantity(item, where, false);
        if (quantity < 1 || quantity > 999) {
            throw new PermanentFailure("square: order " + orderId + " " + where + " quantity " + quantity
                    + " is outside 1..999");
        }
        Money unit = money(item, "base_price_money", where);
        if (unit == null) {
            throw new PermanentFailure("square: order " + orderId + " " + where + " has no base_price_money");
        }
        String itemId = itemId(item, name, menu);
        Menu.Item menuItem = menu == null ? null : menu.itemsById().get(itemId);
        List<Modifier> modifiers = modifiers(item.get("modifiers"), menuItem, where);
        Money lineTotal = Pricing.lineTotal(unit, modifiers, quantity);
        Money gross = money(item, "gross_sales_money", where);
        if (gross != null && !gross.equals(lineTotal)) {
            throw new PermanentFailure("square: order " + orderId + " " + where + " gross_sales_money "
                    + gross.amount() + " is not (base_price_money + modifiers) x quantity = " + lineTotal.amount());
        }
        return new OrderLine(Text.clip(uid == null ? String.valueOf(index) : uid, 64), itemId, Text.clip(shown, 255),
                quantity, unit, modifiers, lineTotal, Text.clip(text(item, "note"), 1000), List.of(),
                menuItem == null ? null : menuItem.station());
    }

    /** The hub item id: setting catalog.<variation id>, else the menu item of that name, else Square's own id. */
    private String itemId(JsonNode item, String name, Menu menu) {
        String catalogId = text(item, "catalog_object_id");
        String mapped = catalog(catalogId);
        if (mapped != null) {
            return Text.clip(mapped, 128);
        }
        if (menu != null) {
            for (Menu.Item candidate : menu.items()) {
                if (candidate.name() != null && candidate.name().trim().equalsIgnoreCase(name.trim())) {
                    return candidate.id();
                }
            }
        }
        // unknown to the hub's menu: validation rejects it with this id in the reason
        return Text.clip(catalogId != null ? catalogId : "square:" + name, 128);
    }

    private String catalog(String catalogId) {
        if (catalogId == null || !CATALOG_ID.matcher(catalogId).matches()) {
            return null;
        }
        return adapter.setting("catalog." + catalogId).orElse(null);
    }

    /** A modifier being placed in the menu's tree; quantities are Square's, per unit of the line item. */
    private static final class Node {
        String modifierId;
        String groupId;
        String name;
        int perLine;
        Money price;
        Menu.Option option;
        Node parent;
        final List<Node> children = new ArrayList<>();
    }

    private List<Modifier> modifiers(JsonNode list, Menu.Item menuItem, String where) {
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new PermanentFailure("square: order " + orderId + " " + where + " modifiers is not a list");
        }
        List<Node> top = new ArrayList<>();
        List<Node> placed = new ArrayList<>();
        for (JsonNode m : list) {
            if (m == null || !m.isObject()) {
                throw new PermanentFailure("square: order " + orderId + " " + where + " has a modifier that is not "
                        + "an object");
            }
            String name = text(m, "name");
            if (name == null) {
                throw new PermanentFailure("square: order " + orderId + " " + where + " has a modifier without name");
            }
            String at = where + " modifier " + name;
            Node node = new Node();
            node.name = name;
            node.perLine = quantity(m, at, true);
            if (node.perLine > 99) {
                throw new PermanentFailure("square: order " + orderId + " " + at + " quantity " + node.perLine
                        + " is more than 99");
            }
            node.price = orZero(money(m, "base_price_money", at));
            String catalogId = text(m, "catalog_object_id");
            String mapped = catalog(catalogId);
            String mappedGroup = mapped == null || !mapped.contains("/") ? null : mapped.substring(0, mapped.indexOf('/'));
            String mappedOption = mapped == null ? null : mapped.substring(mapped.indexOf('/') + 1);
            if (!place(node, menuItem, placed, mappedGroup, mappedOption)) {
                node.groupId = mappedGroup != null ? mappedGroup : UNMAPPED_GROUP;
                node.modifierId = Text.clip(mappedOption != null ? mappedOption : catalogId != null ? catalogId : name,
                        128);
            }
            if (node.parent == null) {
                top.add(node);
            } else {
                node.parent.children.add(node);
            }
            placed.add(node);
        }
        List<Modifier> out = new ArrayList<>();
        for (Node n : top) {
            out.add(modifier(n, where));
        }
        return out;
    }

    /**
     * Finds the node's option in the item's own modifier groups, else in the groups of an option already chosen
     * (the menu's nesting: "Large" under "Fries" under the meal deal's side).
     */
    private static boolean place(Node node, Menu.Item item, List<Node> placed, String group, String option) {
        if (item == null) {
            return false;
        }
        if (match(node, item.groups(), group, option)) {
            return true;
        }
        for (Node parent : placed) {
            if (parent.option != null && match(node, parent.option.groups(), group, option)) {
                node.parent = parent;
                return true;
            }
        }
        return false;
    }

    private static boolean match(Node node, List<Menu.ModifierGroup> groups, String group, String option) {
        for (Menu.ModifierGroup g : groups) {
            if (g.options() == null || (group != null && !g.id().equals(group))) {
                continue;
            }
            for (Menu.Option o : g.options()) {
                boolean same = option != null ? o.id().equals(option)
                        : o.name() != null && o.name().trim().equalsIgnoreCase(node.name.trim());
                if (same) {
                    node.groupId = g.id();
                    node.modifierId = o.id();
                    node.option = o;
                    return true;
                }
            }
        }
        return false;
    }

    /** Canonical quantities are per unit of the parent: a nested option's Square quantity is divided by its parent's. */
    private Modifier modifier(Node n, String where) {
        int quantity = n.perLine;
        if (n.parent != null) {
            if (n.parent.perLine == 0 || n.perLine % n.parent.perLine != 0) {
                throw new PermanentFailure("square: order " + orderId + " " + where + " modifier " + n.name
                        + " (quantity " + n.perLine + ") cannot be nested under " + n.parent.name + " (quantity "
                        + n.parent.perLine + ")");
            }
            quantity = n.perLine / n.parent.perLine;
        }
        List<Modifier> children = new ArrayList<>();
        for (Node child : n.children) {
            children.add(modifier(child, where));
        }
        return new Modifier(n.modifierId, n.groupId, Text.clip(n.name, 255), quantity, n.price, children);
    }

    /** Square quantities are decimal strings; the hub counts whole units. */
    private int quantity(JsonNode node, String where, boolean defaultOne) {
        JsonNode q = node.get("quantity");
        if ((q == null || q.isNull()) && defaultOne) {
            return 1;
        }
        String text = q == null ? null : q.isTextual() ? q.asText().trim() : null;
        if (text == null) {
            throw new PermanentFailure("square: order " + orderId + " " + where + " has no quantity string");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new PermanentFailure("square: order " + orderId + " " + where + " quantity '" + Text.clip(text, 20)
                    + "' is not a number");
        }
        value = value.stripTrailingZeros();
        if (value.signum() < 0 || value.scale() > 0 || !WHOLE.matcher(value.toPlainString()).matches()) {
            throw new PermanentFailure("square: order " + orderId + " " + where + " quantity '" + Text.clip(text, 20)
                    + "' is not a whole number of units (the hub counts whole units)");
        }
        return value.intValueExact();
    }

    // ---- charges

    /** Discounts and service charges: what Square applied to this order ({@code applied_money}). */
    private List<Adjustment> adjustments(JsonNode list, String what) {
        List<Adjustment> out = new ArrayList<>();
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            throw new PermanentFailure("square: order " + orderId + " " + what + "s is not a list");
        }
        for (JsonNode a : list) {
            if (a == null || !a.isObject()) {
                throw new PermanentFailure("square: order " + orderId + " has a " + what + " that is not an object");
            }
            String uid = text(a, "uid");
            String where = what + " " + (uid == null ? "" : uid);
            Money amount = money(a, "applied_money", where);
            if (amount == null) {
                amount = money(a, "amount_money", where);
            }
            if (amount == null) {
                throw new PermanentFailure("square: order " + orderId + " " + where + " has neither applied_money "
                        + "nor amount_money");
            }
            if (amount.amount() < 0) {
                throw new PermanentFailure("square: order " + orderId + " " + where + " amount is negative");
            }
            if (amount.amount() == 0) {
                continue;
            }
            String code = text(a, "catalog_object_id") != null ? text(a, "catalog_object_id")
                    : uid != null ? uid : what.replace(' ', '-');
            out.add(new Adjustment(Text.clip(code, 64), Text.clip(text(a, "name"), 255), amount));
        }
        return out;
    }

    /**
     * Tax that Square adds on top of prices (ADDITIVE); INCLUSIVE tax (VAT) is already inside them. Without a taxes
     * list, the location's rule decides.
     */
    private Money additiveTax(JsonNode taxes, Money total, Menu.Location location) {
        if (taxes == null || !taxes.isArray() || taxes.isEmpty()) {
            return total == null || location.taxIncluded() ? Money.zero(currency) : total;
        }
        return taxes(taxes, "ADDITIVE");
    }

    /** The sum of the order's taxes' {@code applied_money}, of one type or (null) all. */
    private Money taxes(JsonNode taxes, String type) {
        Money sum = Money.zero(currency);
        if (taxes == null || !taxes.isArray()) {
            return sum;
        }
        for (JsonNode t : taxes) {
            if (t != null && t.isObject() && (type == null || type.equals(text(t, "type")))) {
                sum = sum.plus(orZero(money(t, "applied_money", "tax " + text(t, "uid"))));
            }
        }
        return sum;
    }

    /**
     * The canonical total includes the tip. Whether Square's {@code total_money} does is not confirmed: the order's
     * own arithmetic decides (total = subtotal - discounts + service charges + additive tax, with or without the
     * tip); when it adds up neither way, Square's total stands (what Square collected).
     */
    private Money total(JsonNode order, Money subtotal, List<Adjustment> discounts, List<Adjustment> fees,
                        Money additiveTax, Money tip) {
        Money total = money(order, "total_money", "order");
        if (total == null) {
            throw new PermanentFailure("square: order " + orderId + " has no total_money");
        }
        Money base = subtotal.minus(Pricing.sum(discounts, currency)).plus(Pricing.sum(fees, currency))
                .plus(additiveTax);
        if (!total.equals(base.plus(tip)) && total.equals(base)) {
            return total.plus(tip);
        }
        return total;
    }

    // ---- people, payments, fulfilment

    private static JsonNode details(JsonNode fulfillment) {
        if (fulfillment == null) {
            return null;
        }
        JsonNode d = fulfillment.get("DELIVERY".equals(text(fulfillment, "type")) ? "delivery_details"
                : "pickup_details");
        return d != null && d.isObject() ? d : null;
    }

    private static OrderType type(JsonNode fulfillment) {
        if (fulfillment == null) {
            return OrderType.DINE_IN;
        }
        String type = text(fulfillment, "type");
        if ("DELIVERY".equals(type)) {
            return OrderType.DELIVERY;
        }
        if ("PICKUP".equals(type)) {
            JsonNode d = fulfillment.path("pickup_details");
            return d.path("is_curbside_pickup").asBoolean(false) ? OrderType.CURBSIDE : OrderType.PICKUP;
        }
        throw new PermanentFailure("square: fulfillment type '" + type + "' is not PICKUP or DELIVERY");
    }

    private static CanonicalOrder.Customer customer(JsonNode details) {
        JsonNode r = details == null ? null : details.get("recipient");
        if (r == null || !r.isObject()) {
            return null;
        }
        String name = Text.clip(text(r, "display_name"), 200);
        String phone = text(r, "phone_number");
        phone = phone != null && phone.length() <= 40 ? phone : null;
        String email = text(r, "email_address");
        email = email != null && email.length() <= 254 ? email : null;
        return name == null && phone == null && email == null ? null
                : new CanonicalOrder.Customer(name, phone, email, null);
    }

    private CanonicalOrder.Fulfilment fulfilment(JsonNode fulfillment, JsonNode details, Menu.Location location) {
        if (details == null) {
            return new CanonicalOrder.Fulfilment(location.timeZone(), null, null, null, null);
        }
        boolean delivery = "DELIVERY".equals(text(fulfillment, "type"));
        String field = delivery ? "deliver_at" : "pickup_at";
        OffsetDateTime at = dateTime(text(details, field), field);
        boolean scheduled = "SCHEDULED".equals(text(details, "schedule_type"));
        CanonicalOrder.DeliveryAddress address = null;
        if (delivery) {
            JsonNode a = details.path("recipient").path("address");
            String country = text(a, "country");
            address = new CanonicalOrder.DeliveryAddress(Text.clip(text(a, "address_line_1"), 255),
                    Text.clip(text(a, "address_line_2"), 255), Text.clip(text(a, "locality"), 100),
                    Text.clip(text(a, "postal_code"), 20),
                    country != null && country.matches("[A-Z]{2}") ? country : null,
                    Text.clip(text(details, "note"), 500));
        }
        return new CanonicalOrder.Fulfilment(location.timeZone(), scheduled ? at : null, scheduled ? null : at, null,
                address);
    }

    /** Tenders: references only (Square's payment id, card brand's last 4); a tender's amount includes its tip. */
    private List<CanonicalOrder.PaymentRef> payments(JsonNode tenders) {
        List<CanonicalOrder.PaymentRef> out = new ArrayList<>();
        if (tenders == null || !tenders.isArray()) {
            return out;
        }
        for (JsonNode t : tenders) {
            if (t == null || !t.isObject() || out.size() == 32) {
                continue;
            }
            String type = text(t, "type");
            Money amount = money(t, "amount_money", "tender " + text(t, "id"));
            JsonNode card = t.path("card_details");
            String status = "CARD".equals(type) ? text(card, "status") : "paid";
            String last4 = text(card.path("card"), "last_4");
            String token = text(t, "payment_id") != null ? text(t, "payment_id") : text(t, "id");
            out.add(new CanonicalOrder.PaymentRef(type == null ? "other" : Text.clip(type.toLowerCase(Locale.ROOT), 32),
                    "square", Text.clip(token, 255), last4 != null && last4.matches("[0-9]{4}") ? last4 : null, null,
                    amount, status == null ? null : Text.clip(paymentStatus(status), 32)));
        }
        return out;
    }

    private static String paymentStatus(String status) {
        return switch (status) {
            case "CAPTURED", "paid" -> "paid";
            case "AUTHORIZED" -> "authorized";
            default -> status.toLowerCase(Locale.ROOT);
        };
    }

    // ---- values

    /** A Square Money object in minor units; its currency must be the location's. */
    private Money money(JsonNode parent, String field, String where) {
        JsonNode m = parent == null ? null : parent.get(field);
        if (m == null || m.isNull() || m.isMissingNode()) {
            return null;
        }
        JsonNode amount = m.get("amount");
        if (amount == null || !amount.isIntegralNumber() || !amount.canConvertToLong()) {
            throw new PermanentFailure("square: order " + orderId + " " + where + " " + field
                    + ".amount is not a whole number of minor units");
        }
        String code = text(m, "currency");
        if (code == null) {
            throw new PermanentFailure("square: order " + orderId + " " + where + " " + field + " has no currency");
        }
        if (!code.equalsIgnoreCase(currency)) {
            throw new OrderRejected(List.of("currency " + Text.clip(code, 8) + " does not match location currency "
                    + currency));
        }
        return Money.ofMinor(amount.asLong(), currency);
    }

    private Money orZero(Money m) {
        return m == null ? Money.zero(currency) : m;
    }

    private Instant instant(String value, String field) {
        OffsetDateTime t = dateTime(value, field);
        return t == null ? null : t.toInstant();
    }

    private OffsetDateTime dateTime(String value, String field) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new PermanentFailure("square: order " + orderId + " " + field + " '" + Text.clip(value, 40)
                    + "' is not an RFC 3339 date-time", e);
        }
    }

    private static String text(JsonNode node, String field) {
        return SquareAdapter.text(node, field);
    }
}
