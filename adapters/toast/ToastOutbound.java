package toast;

import io.orderhub.adapter.AdapterContext;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.model.Money;
import io.orderhub.model.OrderType;
import io.orderhub.pipeline.PermanentFailure;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A hub order as the Toast {@code Order} that {@code POST /orders/v2/orders} creates: the dining option, one check
 * whose selections reference Toast menu GUIDs (the hub menu's ids mapped by settings), special requests for notes
 * and allergies, and, where the restaurant configured them, an open discount and an "other" payment in dollars.
 */
final class ToastOutbound {

    /** The naming authority of the Toast order's externalId: Toast refuses a second order with the same one. */
    static final String EXTERNAL_ID_PREFIX = "orderhub:";

    private static final int MAX_TEXT = 255;

    private ToastOutbound() {
    }

    static Map<String, Object> order(CanonicalOrder order, AdapterContext adapter) {
        Missing missing = new Missing(order);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entityType", "Order");
        body.put("externalId", EXTERNAL_ID_PREFIX + order.id());
        String type = order.type().wire().replace('_', '-');
        body.put("diningOption", ref(missing.setting(adapter, "dining-option-guids." + type,
                "the dining option of " + order.type().wire() + " orders"), "DiningOption"));
        if (order.fulfilment() != null && order.fulfilment().scheduledFor() != null) {
            body.put("promisedDate", ToastJson.format(order.fulfilment().scheduledFor()));
        }
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("entityType", "Check");
        check.put("tabName", clip(order.channel() + " " + (order.displayId() == null ? order.id().toString()
                : order.displayId())));
        List<Object> selections = new ArrayList<>();
        for (CanonicalOrder.OrderLine line : order.lines()) {
            selections.add(selection(line, adapter, missing));
        }
        String orderNote = note(order.notes(), order.allergies());
        if (orderNote != null && !selections.isEmpty()) {
            // Toast orders carry no order-level note: it goes with the first item, where the kitchen reads it
            @SuppressWarnings("unchecked")
            List<Object> first = (List<Object>) ((Map<String, Object>) selections.get(0)).get("modifiers");
            first.add(specialRequest("ORDER: " + orderNote));
        }
        missing.check();
        check.put("selections", selections);
        customer(order.customer()).ifPresent(c -> check.put("customer", c));
        CanonicalOrder.Charges charges = order.charges();
        if (charges != null && charges.discounts() != null && !charges.discounts().isEmpty()) {
            adapter.setting("discount-guid").ifPresent(guid -> {
                Money sum = Money.zero(order.currency());
                List<String> names = new ArrayList<>();
                for (CanonicalOrder.Adjustment d : charges.discounts()) {
                    sum = sum.plus(new Money(Math.abs(d.amount().amount()), d.amount().currency()));
                    names.add(d.description() == null || d.description().isBlank() ? d.code() : d.description());
                }
                Map<String, Object> discount = new LinkedHashMap<>();
                discount.put("discount", Map.of("guid", guid));
                discount.put("name", clip(String.join(", ", names)));
                discount.put("discountAmount", dollars(sum));
                // a POST takes one applied discount per check: the hub's discounts as one open amount
                check.put("appliedDiscounts", List.of(discount));
            });
        }
        if (order.payments() != null && !order.payments().isEmpty() && charges != null) {
            adapter.setting("other-payment-guid").ifPresent(guid -> {
                Map<String, Object> payment = new LinkedHashMap<>();
                payment.put("type", "OTHER");
                payment.put("otherPayment", Map.of("guid", guid));
                payment.put("amount", dollars(charges.total().minus(charges.tip())));
                payment.put("tipAmount", dollars(charges.tip()));
                check.put("payments", List.of(payment));
            });
        }
        body.put("checks", List.of(check));
        if (order.type() == OrderType.DELIVERY && order.fulfilment() != null
                && order.fulfilment().address() != null) {
            CanonicalOrder.DeliveryAddress a = order.fulfilment().address();
            Map<String, Object> delivery = new LinkedHashMap<>();
            delivery.put("address1", a.line1());
            delivery.put("address2", a.line2());
            delivery.put("city", a.city());
            delivery.put("zipCode", a.postalCode());
            delivery.put("country", a.country());
            delivery.put("notes", a.instructions());
            delivery.values().removeIf(java.util.Objects::isNull);
            body.put("deliveryInfo", delivery);
        }
        return body;
    }

    private static Map<String, Object> selection(CanonicalOrder.OrderLine line, AdapterContext adapter,
                                                 Missing missing) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("entityType", "MenuItemSelection");
        s.put("item", ref(missing.setting(adapter, "item-guids." + line.itemId(), "item '" + line.itemId() + "' ("
                + line.name() + ")"), "MenuItem"));
        s.put("itemGroup", ref(missing.setting(adapter, "item-group-guids." + line.itemId(), "the menu group of item '"
                + line.itemId() + "' (" + line.name() + ")"), "MenuGroup"));
        s.put("quantity", line.quantity());
        List<Object> modifiers = new ArrayList<>();
        modifiers(line.modifiers(), adapter, missing, modifiers);
        String note = note(line.notes(), line.allergies());
        if (note != null) {
            modifiers.add(specialRequest(note));
        }
        s.put("modifiers", modifiers);
        return s;
    }

    private static void modifiers(List<CanonicalOrder.Modifier> modifiers, AdapterContext adapter, Missing missing,
                                  List<Object> out) {
        if (modifiers == null) {
            return;
        }
        for (CanonicalOrder.Modifier m : modifiers) {
            if (m.quantity() == 0) {
                // "without": Toast says NO with a pre-modifier the restaurant configures; the kitchen reads text
                out.add(specialRequest("NO " + m.name()));
                continue;
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("entityType", "MenuItemSelection");
            s.put("item", ref(missing.setting(adapter, "item-guids." + m.modifierId(), "modifier '" + m.modifierId()
                    + "' (" + m.name() + ")"), "MenuItem"));
            s.put("optionGroup", ref(missing.setting(adapter, "option-group-guids." + m.groupId(), "modifier group '"
                    + m.groupId() + "'"), "MenuOptionGroup"));
            s.put("quantity", m.quantity());
            List<Object> children = new ArrayList<>();
            modifiers(m.modifiers(), adapter, missing, children);
            s.put("modifiers", children);
            out.add(s);
        }
    }

    /** Free text for the kitchen: a special request (a Selection with no menu item). */
    private static Map<String, Object> specialRequest(String text) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("entityType", "MenuItemSelection");
        s.put("selectionType", "SPECIAL_REQUEST");
        s.put("displayName", clip(text));
        s.put("quantity", 1);
        return s;
    }

    private static java.util.Optional<Map<String, Object>> customer(CanonicalOrder.Customer c) {
        if (c == null || (c.name() == null && c.phone() == null && c.email() == null)) {
            return java.util.Optional.empty();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("entityType", "Customer");
        String name = c.name() == null ? "" : c.name().trim();
        // the hub keeps one name: the first word is the given name, the rest the surname ("Ana" "María de la Cruz")
        int space = name.indexOf(' ');
        out.put("firstName", space < 0 ? name : name.substring(0, space));
        out.put("lastName", space < 0 ? "" : name.substring(space + 1).trim());
        if (c.phone() != null) {
            out.put("phone", phoneNumber(c.phone()));
        }
        // the orders API takes up to 53 characters of a-z, A-Z, 0-9, _ and an @
        if (c.email() != null && c.email().length() <= 53 && c.email().matches("[A-Za-z0-9_.+-]+@[A-Za-z0-9.-]+")) {
            out.put("email", c.email());
        }
        return java.util.Optional.of(out);
    }

    /** A platform's masked line ("+1 212 555 0100 (code 842 19 337)"): the number; the code goes nowhere. */
    private static String phoneNumber(String phone) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([+0-9][0-9 ().-]*[0-9])\\s*\\(code [0-9 ]+\\)$")
                .matcher(phone.trim());
        return m.matches() ? m.group(1) : phone;
    }

    private static String note(String notes, List<String> allergies) {
        String allergy = allergies == null || allergies.isEmpty() ? null : "ALLERGY: " + String.join(", ", allergies);
        if (notes == null || notes.isBlank()) {
            return allergy;
        }
        return allergy == null ? notes : allergy + ". " + notes;
    }

    private static Map<String, Object> ref(String guid, String entityType) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("guid", guid);
        r.put("entityType", entityType);
        return r;
    }

    /** Minor units as the exact decimal dollars Toast takes (1299 USD -> 12.99), never through a double. */
    static BigDecimal dollars(Money m) {
        return m.toMajor();
    }

    private static String clip(String s) {
        return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
    }

    /** Every menu mapping an order lacks, named at once, so one configuration fix makes the order go through. */
    private static final class Missing {
        private final CanonicalOrder order;
        private final Set<String> missing = new LinkedHashSet<>();

        Missing(CanonicalOrder order) {
            this.order = order;
        }

        String setting(AdapterContext adapter, String name, String what) {
            return adapter.setting(name).orElseGet(() -> {
                missing.add(what + ": set orderhub.adapters.toast." + name);
                return null;
            });
        }

        void check() {
            if (!missing.isEmpty()) {
                throw new PermanentFailure("toast: order " + order.id() + " at " + order.locationId() + " needs Toast "
                        + "menu GUIDs the configuration does not give: " + String.join("; ", missing));
            }
        }
    }
}
