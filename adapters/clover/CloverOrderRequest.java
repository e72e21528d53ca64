package clover;

import io.orderhub.adapter.AdapterContext;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.model.OrderType;
import io.orderhub.pipeline.PermanentFailure;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hub order as the body of Clover's atomic order create ({@code POST /v3/merchants/{mId}/atomic_order/orders},
 * {@code {"orderCart": {...}}}), and the mark that lets the adapter recognise it when Clover's webhooks bring it
 * back. Clover line items have no quantity: one line item per unit, each with its modifications. Money in cents.
 */
final class CloverOrderRequest {

    /** Clover's limit on line items per order (Create a line item: "a maximum of 3,000 line items"). */
    static final int MAX_LINE_ITEMS = 3000;
    /** Clover Order field lengths (Clover SDK Order.validate: title 127, note 2047; Discount name 64). */
    private static final int TITLE = 127;
    private static final int NOTE = 2047;
    private static final int DISCOUNT_NAME = 64;
    private static final int NAME = 127;

    /** The last line of the note of every order the hub creates in Clover. */
    private static final String MARK = "OrderHub order ";
    private static final Pattern MARKED = Pattern.compile(
            "(?m)^" + MARK + "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\s*$");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.US);

    private CloverOrderRequest() {
    }

    /** The hub order id in a Clover order's note, if the hub created that order. */
    static Optional<String> hubOrderId(String note) {
        if (note == null) {
            return Optional.empty();
        }
        Matcher m = MARKED.matcher(note);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static Map<String, Object> body(CanonicalOrder order, AdapterContext adapter) {
        Map<String, Object> cart = new LinkedHashMap<>();
        cart.put("title", CloverJson.clip(title(order), TITLE));
        cart.put("note", note(order));
        adapter.setting("order-type-" + order.type().wire().replace('_', '-'))
                .ifPresent(id -> cart.put("orderType", Map.of("id", id)));
        List<Object> lineItems = new ArrayList<>();
        for (CanonicalOrder.OrderLine line : order.lines()) {
            if (lineItems.size() + line.quantity() > MAX_LINE_ITEMS) {
                throw new PermanentFailure("clover: order " + order.id() + " needs more than " + MAX_LINE_ITEMS
                        + " Clover line items (one per unit), Clover's limit per order");
            }
            List<Map<String, Object>> modifications = new ArrayList<>();
            flatten(line.modifiers(), "", 1, modifications);
            for (int unit = 0; unit < line.quantity(); unit++) {
                Map<String, Object> item = new LinkedHashMap<>();
                adapter.setting("item-id-" + line.itemId()).ifPresent(id -> item.put("item", Map.of("id", id)));
                item.put("name", CloverJson.clip(line.name(), NAME));
                item.put("price", line.unitPrice().amount());
                String note = lineNote(line);
                if (note != null) {
                    item.put("note", note);
                }
                if (!modifications.isEmpty()) {
                    item.put("modifications", modifications);
                }
                lineItems.add(item);
            }
        }
        CanonicalOrder.Charges charges = order.charges();
        for (CanonicalOrder.Adjustment fee : charges == null || charges.fees() == null
                ? List.<CanonicalOrder.Adjustment>of() : charges.fees()) {
            // a fee the guest paid (delivery, service) as an ad hoc line item, so Clover's order adds up
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", CloverJson.clip(label(fee), NAME));
            item.put("price", fee.amount().amount());
            lineItems.add(item);
        }
        if (lineItems.size() > MAX_LINE_ITEMS) {
            throw new PermanentFailure("clover: order " + order.id() + " needs more than " + MAX_LINE_ITEMS
                    + " Clover line items, Clover's limit per order");
        }
        cart.put("lineItems", lineItems);
        if (charges != null && charges.discounts() != null && !charges.discounts().isEmpty()) {
            List<Object> discounts = new ArrayList<>();
            for (CanonicalOrder.Adjustment d : charges.discounts()) {
                Map<String, Object> discount = new LinkedHashMap<>();
                discount.put("name", CloverJson.clip(label(d), DISCOUNT_NAME));
                discount.put("amount", -Math.abs(d.amount().amount()));
                discounts.add(discount);
            }
            cart.put("discounts", discounts);
        }
        return Map.of("orderCart", cart);
    }

    /**
     * Clover modifications are a flat list per line item (one line item is one unit): a nested option becomes
     * "Parent / Child" with its quantity multiplied; a modifier with quantity 2 is two modifications; quantity 0
     * ("without") is one modification "No ..." at 0.
     */
    private static void flatten(List<CanonicalOrder.Modifier> modifiers, String path, int outer,
                                List<Map<String, Object>> out) {
        if (modifiers == null) {
            return;
        }
        for (CanonicalOrder.Modifier m : modifiers) {
            String name = path.isEmpty() ? m.name() : path + " / " + m.name();
            int quantity = m.quantity() * outer;
            if (quantity == 0) {
                out.add(modification("No " + name, 0));
                continue;
            }
            for (int i = 0; i < quantity; i++) {
                out.add(modification(name, m.unitPrice().amount()));
            }
            flatten(m.modifiers(), name, quantity, out);
        }
    }

    private static Map<String, Object> modification(String name, long amount) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", CloverJson.clip(name, NAME));
        m.put("amount", amount);
        return m;
    }

    /** What staff see in Clover's order list: the channel and the channel's order number. */
    private static String title(CanonicalOrder order) {
        String number = order.displayId() != null ? order.displayId() : order.id().toString().substring(0, 8);
        return order.channel() + " " + number;
    }

    /**
     * The order note: who and when, the guest's notes and allergies, then the hub's mark on its own last line
     * (kept whole when the rest is cut to Clover's 2,047 characters).
     */
    static String note(CanonicalOrder order) {
        List<String> parts = new ArrayList<>();
        parts.add(typeLabel(order.type()) + " · " + order.channel()
                + (order.displayId() == null ? "" : " #" + order.displayId()));
        if (order.customer() != null) {
            String who = String.join(", ", java.util.stream.Stream.of(order.customer().name(), order.customer().phone())
                    .filter(Objects::nonNull).filter(s -> !s.isBlank()).toList());
            if (!who.isEmpty()) {
                parts.add("Guest: " + who);
            }
        }
        CanonicalOrder.Fulfilment f = order.fulfilment();
        if (f != null && f.scheduledFor() != null) {
            parts.add("Scheduled for " + when(f.scheduledFor(), f.timeZone()));
        } else if (f != null && f.promisedAt() != null) {
            parts.add("Promised for " + when(f.promisedAt(), f.timeZone()));
        }
        if (f != null && f.table() != null) {
            parts.add("Table " + f.table());
        }
        if (order.type() == OrderType.DELIVERY && f != null && f.address() != null) {
            var a = f.address();
            String address = String.join(", ", java.util.stream.Stream.of(a.line1(), a.line2(), a.city(),
                    a.postalCode()).filter(Objects::nonNull).filter(s -> !s.isBlank()).toList());
            if (!address.isEmpty()) {
                parts.add("Deliver to: " + address + (a.instructions() == null ? "" : " (" + a.instructions() + ")"));
            }
        }
        if (order.allergies() != null && !order.allergies().isEmpty()) {
            parts.add("ALLERGY: " + String.join(", ", order.allergies()));
        }
        if (order.notes() != null && !order.notes().isBlank()) {
            parts.add(order.notes().strip());
        }
        String mark = MARK + order.id();
        String text = CloverJson.clip(String.join("\n", parts), NOTE - mark.length() - 1);
        return text + "\n" + mark;
    }

    /** A time as the restaurant reads it: in the location's zone. */
    private static String when(java.time.OffsetDateTime at, String timeZone) {
        ZoneId zone = timeZone == null ? at.getOffset() : ZoneId.of(timeZone);
        return WHEN.format(at.atZoneSameInstant(zone));
    }

    private static String lineNote(CanonicalOrder.OrderLine line) {
        String allergy = line.allergies() == null || line.allergies().isEmpty() ? null
                : "ALLERGY: " + String.join(", ", line.allergies());
        String notes = line.notes() == null || line.notes().isBlank() ? null : line.notes().strip();
        String note = allergy == null ? notes : notes == null ? allergy : allergy + ". " + notes;
        return note == null ? null : CloverJson.clip(note, 1000);
    }

    private static String typeLabel(OrderType type) {
        return switch (type) {
            case DINE_IN -> "Dine in";
            case PICKUP -> "Pickup";
            case CURBSIDE -> "Curbside pickup";
            case DELIVERY -> "Delivery";
        };
    }

    private static String label(CanonicalOrder.Adjustment a) {
        return a.description() == null || a.description().isBlank() ? a.code() : a.description();
    }
}
