package toast;

import static toast.ToastJson.array;
import static toast.ToastJson.isTrue;
import static toast.ToastJson.money;
import static toast.ToastJson.moneyOrZero;
import static toast.ToastJson.object;
import static toast.ToastJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.adapter.AdapterContext;
import io.orderhub.adapter.Inbound;
import io.orderhub.adapter.VendorAdapter.TranslationContext;
import io.orderhub.menu.Menu;
import io.orderhub.menu.Pricing;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.model.Money;
import io.orderhub.model.OrderStatus;
import io.orderhub.model.OrderType;
import io.orderhub.pipeline.OrderRejected;
import io.orderhub.pipeline.PermanentFailure;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Toast {@code Order} (the full order of an {@code order_updated} webhook, or one {@code ordersBulk} returned) as
 * the hub sees it: a status for an order the hub put into Toast, or a new order rung up at the POS.
 */
final class ToastInbound {

    /** Toast payments that took no money. */
    private static final Set<String> DEAD_PAYMENTS = Set.of("VOIDED", "CANCELLED", "DENIED", "ERROR", "ERROR_NETWORK",
            "PROCESSING_VOID", "VOIDED_AT_RISK");

    private ToastInbound() {
    }

    // ------------------------------------------------------------------ an order the hub put into Toast

    /**
     * What Toast says about an order the hub injected: voided or not approved → cancelled; every live payment
     * refunded in full → refunded; closed (closedDate, no check left open) → completed; every item READY → ready;
     * an item SENT (or some READY) → in_preparation; otherwise nothing for the hub.
     */
    static Inbound statusOf(String guid, JsonNode order) {
        if (isTrue(order, "voided")) {
            return new Inbound.OrderUpdate(guid, OrderStatus.CANCELLED, "voided in Toast");
        }
        if ("NOT_APPROVED".equals(text(order, "approvalStatus"))) {
            // S: staff received the order but did not approve it for fulfilment in time
            return new Inbound.OrderUpdate(guid, OrderStatus.CANCELLED, "not approved in Toast");
        }
        if (isTrue(order, "deleted")) {
            return new Inbound.Ignored("Toast order " + guid + " was deleted (its checks were combined into "
                    + "another order)");
        }
        List<JsonNode> checks = liveChecks(order);
        List<JsonNode> payments = new ArrayList<>();
        for (JsonNode check : checks) {
            for (JsonNode p : array(check, "payments", "check")) {
                if (!DEAD_PAYMENTS.contains(String.valueOf(text(p, "paymentStatus")))) {
                    payments.add(p);
                }
            }
        }
        if (!payments.isEmpty() && payments.stream().allMatch(p -> "FULL".equals(text(p, "refundStatus")))) {
            return new Inbound.OrderUpdate(guid, OrderStatus.REFUNDED, "refunded in full in Toast");
        }
        boolean open = checks.stream().anyMatch(c -> !"CLOSED".equals(text(c, "paymentStatus"))
                && text(c, "paymentStatus") != null);
        if (text(order, "closedDate") != null && !open) {
            return new Inbound.OrderUpdate(guid, OrderStatus.COMPLETED, "closed in Toast");
        }
        Set<String> fulfilment = new LinkedHashSet<>();
        int items = 0;
        for (JsonNode check : checks) {
            for (JsonNode selection : array(check, "selections", "check")) {
                if (!isTrue(selection, "voided") && !"SPECIAL_REQUEST".equals(text(selection, "selectionType"))) {
                    items++;
                    fulfilment.add(Objects.requireNonNullElse(text(selection, "fulfillmentStatus"), "NEW"));
                }
            }
        }
        if (items > 0 && fulfilment.equals(Set.of("READY"))) {
            return new Inbound.OrderUpdate(guid, OrderStatus.READY, "all items ready in Toast");
        }
        if (fulfilment.contains("SENT") || fulfilment.contains("READY")) {
            return new Inbound.OrderUpdate(guid, OrderStatus.IN_PREPARATION, "items sent to the kitchen in Toast");
        }
        return new Inbound.Ignored("Toast order " + guid + ": nothing the hub tracks changed (items "
                + (fulfilment.isEmpty() ? "none" : String.join(", ", fulfilment)) + ", not closed)");
    }

    // ------------------------------------------------------------------ an order rung up at the POS

    /** A new hub order from a Toast order the hub did not make (walk-in, waiter, kiosk, Toast online ordering). */
    static Inbound newOrder(String guid, JsonNode details, JsonNode order, TranslationContext context,
                            AdapterContext adapter) {
        String approval = text(order, "approvalStatus");
        if ("NEEDS_APPROVAL".equals(approval)) {
            return new Inbound.Ignored("Toast order " + guid + " waits for approval in Toast");
        }
        if ("NOT_APPROVED".equals(approval)) {
            return new Inbound.Ignored("Toast order " + guid + " was not approved in Toast");
        }
        if (isTrue(order, "deleted")) {
            return new Inbound.Ignored("Toast order " + guid + " was deleted (its checks were combined into "
                    + "another order)");
        }
        if (isTrue(order, "voided")) {
            if (!hasAnySelection(order)) {
                return new Inbound.Ignored("Toast order " + guid + " was voided before any item was rung up");
            }
            // a POS order the hub took from an earlier webhook, now voided at the POS
            return new Inbound.OrderUpdate(guid, OrderStatus.CANCELLED, "voided in Toast");
        }
        String restaurant = text(details, "restaurantGuid");
        Menu.Location location = adapter.locationForStore(restaurant).orElseThrow(() -> new OrderRejected(List.of(
                "unknown Toast restaurant '" + restaurant + "' (no hub location in orderhub.adapters.toast.stores)")));
        Menu menu = adapter.menu(location.id()).orElseThrow(() -> new PermanentFailure("toast: no menu for location "
                + location.id()));
        String currency = location.currency();
        MenuGuids guids = new MenuGuids(adapter, menu);

        List<JsonNode> checks = liveChecks(order);
        List<CanonicalOrder.OrderLine> lines = new ArrayList<>();
        List<String> orderNotes = new ArrayList<>();
        List<CanonicalOrder.Adjustment> discounts = new ArrayList<>();
        List<CanonicalOrder.Adjustment> fees = new ArrayList<>();
        List<CanonicalOrder.PaymentRef> payments = new ArrayList<>();
        Money tax = Money.zero(currency);
        Money tip = Money.zero(currency);
        Money checkAmounts = Money.zero(currency);
        Money checkTotals = Money.zero(currency);
        Money gratuityCharges = Money.zero(currency);
        boolean amountsComplete = true;
        boolean totalsComplete = true;
        CanonicalOrder.Customer customer = null;
        for (JsonNode check : checks) {
            String checkWhat = "check " + Objects.requireNonNullElse(text(check, "guid"), "?");
            for (JsonNode selection : array(check, "selections", checkWhat)) {
                if (isTrue(selection, "voided")) {
                    continue;
                }
                if ("SPECIAL_REQUEST".equals(text(selection, "selectionType"))) {
                    orderNotes.add(specialRequest(selection, currency));
                    continue;
                }
                lines.add(line(selection, guids, currency));
                collectDiscounts(selection, currency, discounts);
            }
            for (JsonNode d : array(check, "appliedDiscounts", checkWhat)) {
                discounts.add(discount(d, currency));
            }
            for (JsonNode charge : array(check, "appliedServiceCharges", checkWhat)) {
                CanonicalOrder.Adjustment fee = serviceCharge(charge, currency);
                fees.add(fee);
                if (isTrue(charge, "gratuity")) {
                    gratuityCharges = gratuityCharges.plus(fee.amount());
                }
            }
            tax = tax.plus(money(check, "taxAmount", currency, checkWhat));
            if (check.hasNonNull("amount")) {
                checkAmounts = checkAmounts.plus(money(check, "amount", currency, checkWhat));
            } else {
                amountsComplete = false;
            }
            if (check.hasNonNull("totalAmount")) {
                checkTotals = checkTotals.plus(money(check, "totalAmount", currency, checkWhat));
            } else {
                totalsComplete = false;
            }
            for (JsonNode p : array(check, "payments", checkWhat)) {
                if (DEAD_PAYMENTS.contains(String.valueOf(text(p, "paymentStatus")))) {
                    continue;
                }
                Money paymentTip = moneyOrZero(p, "tipAmount", currency, "payment");
                tip = tip.plus(paymentTip);
                payments.add(payment(p, paymentTip, currency));
            }
            if (customer == null) {
                customer = customer(object(check, "customer", checkWhat));
            }
        }
        if (lines.isEmpty()) {
            return new Inbound.Ignored("Toast order " + guid + " has no items yet");
        }

        Money subtotal = Pricing.subtotal(lines, currency);
        Money discountTotal = Pricing.sum(discounts, currency);
        Money feeTotal = Pricing.sum(fees, currency);
        Money total = subtotal.minus(discountTotal).plus(feeTotal).plus(tax).plus(tip);
        // Check.amount: "including discounts and service charges ... does not include gratuity or taxes"
        Money expectedAmount = subtotal.minus(discountTotal).plus(feeTotal).minus(gratuityCharges);
        if (amountsComplete && !checkAmounts.equals(expectedAmount)) {
            throw new PermanentFailure("toast: order " + guid + " checks amount to " + checkAmounts.toMajor()
                    + " but its items, discounts and service charges come to " + expectedAmount.toMajor()
                    + " (subtotal " + subtotal.toMajor() + ", discounts " + discountTotal.toMajor() + ", charges "
                    + feeTotal.toMajor() + ")");
        }
        if (amountsComplete && totalsComplete && gratuityCharges.amount() == 0
                && !checkTotals.equals(checkAmounts.plus(tax))) {
            throw new PermanentFailure("toast: order " + guid + " checks total " + checkTotals.toMajor()
                    + " but amount " + checkAmounts.toMajor() + " + tax " + tax.toMajor() + " is "
                    + checkAmounts.plus(tax).toMajor());
        }

        OrderType type = type(guid, order, adapter);
        JsonNode delivery = object(order, "deliveryInfo", "order");
        OffsetDateTime promised = ToastJson.time(order, "promisedDate", "order");
        OffsetDateTime estimated = ToastJson.time(order, "estimatedFulfillmentDate", "order");
        CanonicalOrder.DeliveryAddress address = delivery == null ? null : new CanonicalOrder.DeliveryAddress(
                text(delivery, "address1"), text(delivery, "address2"), text(delivery, "city"),
                text(delivery, "zipCode"), text(delivery, "country"), text(delivery, "notes"));
        OffsetDateTime created = ToastJson.time(order, "createdDate", "order");
        if (created == null) {
            created = ToastJson.time(order, "openedDate", "order");
        }
        Instant createdAt = created == null ? context.receivedAt() : created.toInstant();
        Instant updatedAt = createdAt.isAfter(context.receivedAt()) ? createdAt : context.receivedAt();
        String display = text(order, "displayNumber");
        if (display == null && !checks.isEmpty()) {
            display = text(checks.get(0), "displayNumber");
        }
        return new Inbound.NewOrder(new CanonicalOrder(CanonicalOrder.SCHEMA_VERSION, context.orderId(),
                List.of(new CanonicalOrder.ExternalId(adapter.id(), guid)), adapter.id(),
                channel(text(order, "source"), adapter), location.brandId(), location.id(),
                clip(display == null ? guid : display, 64), type, OrderStatus.ACCEPTED, 1, context.correlationId(),
                createdAt, updatedAt, currency, lines, new CanonicalOrder.Charges(subtotal, discounts, tax, fees, tip,
                total), customer, payments, new CanonicalOrder.Fulfilment(location.timeZone(), promised, estimated,
                null, address), orderNotes.isEmpty() ? null : clip(String.join("; ", orderNotes), 1000), List.of()));
    }

    /** One item selection: its modifiers (Selections again, to any depth) and special requests (its notes). */
    private static CanonicalOrder.OrderLine line(JsonNode selection, MenuGuids guids, String currency) {
        String name = text(selection, "displayName");
        String what = "selection '" + Objects.requireNonNullElse(name, text(selection, "guid")) + "'";
        int quantity = ToastJson.wholeQuantity(selection, what, 1, 999);
        // receiptLinePrice: one unit, without quantity, taxes, discounts and modifiers
        Money unit = money(selection, "receiptLinePrice", currency, what);
        String itemGuid = text(object(selection, "item", what), "guid");
        Menu.Item item = guids.item(itemGuid);
        String itemId = item != null ? item.id() : "toast:" + Objects.requireNonNullElse(itemGuid,
                Objects.requireNonNullElse(text(selection, "guid"), "unknown"));
        List<String> notes = new ArrayList<>();
        List<CanonicalOrder.Modifier> modifiers = modifiers(selection, item == null ? List.of() : item.groups(), guids,
                currency, notes, what, 1);
        return new CanonicalOrder.OrderLine(clip(Objects.requireNonNullElse(text(selection, "guid"), itemId), 64),
                itemId, clip(name != null ? name : item != null ? item.name() : itemId, 255), quantity, unit,
                modifiers, Pricing.lineTotal(unit, modifiers, quantity),
                notes.isEmpty() ? null : clip(String.join("; ", notes), 1000), List.of(),
                item == null ? null : item.station());
    }

    private static final int MAX_DEPTH = 10;

    /**
     * The modifiers of a selection, matched to the hub menu by their Toast item GUID among the options of the
     * parent's modifier groups ({@code item-guids}); a modifier the hub menu does not have keeps the Toast GUID
     * ({@code toast:<guid>}), and validation names it. Quantities are per unit of the parent.
     */
    private static List<CanonicalOrder.Modifier> modifiers(JsonNode parent, List<Menu.ModifierGroup> groups,
                                                           MenuGuids guids, String currency, List<String> notes,
                                                           String what, int depth) {
        List<CanonicalOrder.Modifier> out = new ArrayList<>();
        for (JsonNode m : array(parent, "modifiers", what)) {
            if (isTrue(m, "voided")) {
                continue;
            }
            if ("SPECIAL_REQUEST".equals(text(m, "selectionType"))) {
                notes.add(specialRequest(m, currency));
                continue;
            }
            if (depth > MAX_DEPTH) {
                throw new PermanentFailure("toast: " + what + " nests modifiers deeper than " + MAX_DEPTH);
            }
            String name = text(m, "displayName");
            String mWhat = what + " > modifier '" + Objects.requireNonNullElse(name, text(m, "guid")) + "'";
            int quantity = ToastJson.wholeQuantity(m, mWhat, 0, 99);
            Money unit = money(m, "receiptLinePrice", currency, mWhat);
            String itemGuid = text(object(m, "item", mWhat), "guid");
            String optionGroupGuid = text(object(m, "optionGroup", mWhat), "guid");
            MenuGuids.Choice choice = guids.option(groups, itemGuid, optionGroupGuid);
            String modifierId = choice.option() != null ? choice.option().id()
                    : "toast:" + Objects.requireNonNullElse(itemGuid, Objects.requireNonNullElse(text(m, "guid"),
                    "unknown"));
            String groupId = choice.group() != null ? choice.group().id()
                    : optionGroupGuid == null ? null : "toast:" + optionGroupGuid;
            List<CanonicalOrder.Modifier> children = modifiers(m,
                    choice.option() == null ? List.of() : choice.option().groups(), guids, currency, notes, mWhat,
                    depth + 1);
            out.add(new CanonicalOrder.Modifier(clip(modifierId, 128), groupId == null ? null : clip(groupId, 128),
                    clip(name != null ? name : choice.option() != null ? choice.option().name() : modifierId, 255),
                    quantity, unit, children));
        }
        return out;
    }

    /** A special request is a note; one with a price has no place in the hub's menu and cannot be taken. */
    private static String specialRequest(JsonNode selection, String currency) {
        String text = Objects.requireNonNullElse(text(selection, "displayName"), "");
        Money price = moneyOrZero(selection, "receiptLinePrice", currency, "special request '" + text + "'");
        if (price.amount() != 0) {
            throw new PermanentFailure("toast: special request '" + text + "' costs " + price.toMajor()
                    + ": a priced special request has no hub menu item");
        }
        return text;
    }

    private static void collectDiscounts(JsonNode selection, String currency, List<CanonicalOrder.Adjustment> out) {
        for (JsonNode d : array(selection, "appliedDiscounts", "selection")) {
            out.add(discount(d, currency));
        }
        for (JsonNode m : array(selection, "modifiers", "selection")) {
            if (!isTrue(m, "voided")) {
                collectDiscounts(m, currency, out);
            }
        }
    }

    private static CanonicalOrder.Adjustment discount(JsonNode d, String currency) {
        String name = text(d, "name");
        String code = text(d, "appliedPromoCode");
        if (code == null) {
            code = text(object(d, "discount", "applied discount"), "guid");
        }
        if (code == null) {
            code = Objects.requireNonNullElse(text(d, "guid"), "discount");
        }
        return new CanonicalOrder.Adjustment(clip(code, 64), name == null ? null : clip(name, 255),
                money(d, "discountAmount", currency, "applied discount '" + name + "'"));
    }

    private static CanonicalOrder.Adjustment serviceCharge(JsonNode c, String currency) {
        String code = isTrue(c, "gratuity") ? "gratuity" : isTrue(c, "delivery") ? "delivery"
                : Objects.requireNonNullElse(text(c, "serviceChargeCategory"), "SERVICE_CHARGE")
                .toLowerCase(Locale.ROOT);
        String name = text(c, "name");
        return new CanonicalOrder.Adjustment(clip(code, 64), name == null ? null : clip(name, 255),
                money(c, "chargeAmount", currency, "service charge '" + name + "'"));
    }

    /** A payment reference: the method, last four digits and what was taken (amount + tip). No card numbers. */
    private static CanonicalOrder.PaymentRef payment(JsonNode p, Money tip, String currency) {
        Money amount = moneyOrZero(p, "amount", currency, "payment").plus(tip);
        String type = Objects.requireNonNullElse(text(p, "type"), "OTHER").toLowerCase(Locale.ROOT);
        String last4 = text(p, "last4Digits");
        String refund = text(p, "refundStatus");
        String status = "FULL".equals(refund) ? "refunded" : "PARTIAL".equals(refund) ? "partially_refunded"
                : text(p, "paymentStatus") == null ? "paid" : text(p, "paymentStatus").toLowerCase(Locale.ROOT);
        return new CanonicalOrder.PaymentRef(clip(type, 32), "toast", null,
                last4 != null && last4.matches("[0-9]{4}") ? last4 : null, null, amount, clip(status, 32));
    }

    private static CanonicalOrder.Customer customer(JsonNode c) {
        if (c == null) {
            return null;
        }
        String name = String.join(" ", java.util.stream.Stream.of(text(c, "firstName"), text(c, "lastName"))
                .filter(Objects::nonNull).map(String::trim).toList()).trim();
        String phone = text(c, "phone");
        String code = text(c, "phoneCountryCode");
        if (phone != null && code != null && !phone.startsWith("+")) {
            phone = "+" + code.replaceFirst("^\\+", "") + " " + phone;
        }
        String email = text(c, "email");
        if (name.isEmpty() && phone == null && email == null) {
            return null; // a loyalty guest reference carries only a GUID
        }
        return new CanonicalOrder.Customer(name.isEmpty() ? null : clip(name, 255), phone, email, null);
    }

    /**
     * The dining option GUID as configured ({@code dining-option-guids.<type>}); without a mapping, delivery
     * details mean delivery, curbside details curbside, a table dine-in.
     */
    private static OrderType type(String guid, JsonNode order, AdapterContext adapter) {
        String option = text(object(order, "diningOption", "order"), "guid");
        if (option != null) {
            for (OrderType t : OrderType.values()) {
                if (option.equals(adapter.setting("dining-option-guids." + t.wire().replace('_', '-')).orElse(null))) {
                    return t;
                }
            }
        }
        if (object(order, "deliveryInfo", "order") != null) {
            return OrderType.DELIVERY;
        }
        if (object(order, "curbsidePickupInfo", "order") != null) {
            return OrderType.CURBSIDE;
        }
        if (text(object(order, "table", "order"), "guid") != null) {
            return OrderType.DINE_IN;
        }
        throw new PermanentFailure("toast: order " + guid + " has dining option " + option + ", which is not one of "
                + "orderhub.adapters.toast.dining-option-guids.{dine-in,pickup,curbside,delivery}, and no delivery, "
                + "curbside or table details to tell its type");
    }

    /** Toast's Order.source (how the order was placed) as the hub's channel; anything else is the POS. */
    private static String channel(String source, AdapterContext adapter) {
        String pos = adapter.descriptor().channel();
        if (source == null) {
            return pos;
        }
        return switch (source) {
            case "Kiosk" -> "kiosk";
            case "Order-and-Pay-at-Table" -> "qr";
            case "Caller Id" -> "call_centre";
            case "Online", "Branded Online Ordering", "Toast Local", "Google", "Catering Online Ordering",
                 "eCommerce Online ordering" -> "web";
            case "Toast Pickup App", "Branded Mobile App" -> "app";
            default -> pos;
        };
    }

    static List<JsonNode> liveChecks(JsonNode order) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode check : array(order, "checks", "order")) {
            if (!isTrue(check, "voided") && !isTrue(check, "deleted")) {
                out.add(check);
            }
        }
        return out;
    }

    private static boolean hasAnySelection(JsonNode order) {
        for (JsonNode check : array(order, "checks", "order")) {
            if (check.path("selections").isArray() && !check.path("selections").isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /**
     * The sandbox's (or production's) map of hub menu ids to Toast menu GUIDs, read backwards for a location's
     * menu: {@code item-guids.<hub item or option id>} and {@code option-group-guids.<hub group id>}.
     */
    static final class MenuGuids {
        private final AdapterContext adapter;
        private final Map<String, Menu.Item> itemsByGuid = new java.util.HashMap<>();

        MenuGuids(AdapterContext adapter, Menu menu) {
            this.adapter = adapter;
            for (Menu.Item item : menu.items()) {
                adapter.setting("item-guids." + item.id()).ifPresent(g -> itemsByGuid.putIfAbsent(g, item));
            }
        }

        Menu.Item item(String guid) {
            return guid == null ? null : itemsByGuid.get(guid);
        }

        record Choice(Menu.ModifierGroup group, Menu.Option option) {
        }

        /** The option (and its group) under the parent whose item GUID this is; else the group by its GUID. */
        Choice option(List<Menu.ModifierGroup> groups, String itemGuid, String optionGroupGuid) {
            Menu.ModifierGroup byGuid = null;
            for (Menu.ModifierGroup group : groups) {
                boolean groupMatches = optionGroupGuid != null && optionGroupGuid.equals(
                        adapter.setting("option-group-guids." + group.id()).orElse(null));
                if (groupMatches) {
                    byGuid = group;
                }
                if (itemGuid == null) {
                    continue;
                }
                for (Menu.Option option : group.options()) {
                    if (itemGuid.equals(adapter.setting("item-guids." + option.id()).orElse(null))
                            && (optionGroupGuid == null || groupMatches || adapter.setting("option-group-guids."
                            + group.id()).isEmpty())) {
                        return new Choice(group, option);
                    }
                }
            }
            return new Choice(byGuid, null);
        }
    }
}
