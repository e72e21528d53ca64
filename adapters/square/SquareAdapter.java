package square;

import io.orderhub.adapter.AdapterContext;
import io.orderhub.adapter.Inbound;
import io.orderhub.adapter.VendorAdapter;
import io.orderhub.adapter.VendorCall;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.model.Money;
import io.orderhub.model.OrderType;
import io.orderhub.order.OrderEvent;
import io.orderhub.pipeline.PermanentFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Square as the restaurant's POS: a new hub order becomes a Square order (CreateOrder, POST /v2/orders) at the
 * Square location mapped to the hub location. Money is Square's {@code Money{amount (minor units), currency}}, the
 * canonical model's own convention, so amounts pass unchanged. See README.md for the field mapping.
 */
public class SquareAdapter implements VendorAdapter {

    /** Square's limit on {@code idempotency_key} (CreateOrderRequest). */
    private static final int MAX_IDEMPOTENCY_KEY = 192;
    /** RFC 3339 with seconds always written (OffsetDateTime.toString drops zero seconds). */
    private static final java.time.format.DateTimeFormatter RFC3339 =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    @Override
    public Optional<String> eventKey(Webhook webhook) {
        return Optional.ofNullable(webhook.json() == null ? null : webhook.json().path("event_id").asText(null));
    }

    @Override
    public Inbound translate(String payload, TranslationContext context, AdapterContext adapter) {
        // the descriptor declares no webhook signature yet, so the hub refuses Square webhooks before this point
        throw new PermanentFailure("Square webhooks are not handled by this release of the square adapter");
    }

    @Override
    public Optional<VendorCall> statusCall(OrderEvent event, AdapterContext adapter) {
        return Optional.empty();
    }

    @Override
    public Optional<VendorCall> posCall(OrderEvent event, String idempotencyKey, AdapterContext adapter) {
        if (!OrderEvent.CREATED.equals(event.type())) {
            return Optional.empty();
        }
        CanonicalOrder order = event.order();
        String location = adapter.storeOf(order.locationId())
                .orElseThrow(() -> new PermanentFailure("no Square location for hub location " + order.locationId()));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("location_id", location);
        o.put("reference_id", order.id().toString());
        o.put("source", Map.of("name", "OrderHub " + order.channel()));
        if (order.displayId() != null) {
            o.put("ticket_name", order.displayId());
        }
        List<Object> lines = new ArrayList<>();
        for (CanonicalOrder.OrderLine line : order.lines()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("uid", line.lineId());
            l.put("name", line.name());
            l.put("quantity", Integer.toString(line.quantity()));
            l.put("base_price_money", money(line.unitPrice()));
            String note = note(line.notes(), line.allergies());
            if (note != null) {
                l.put("note", note);
            }
            List<Object> modifiers = new ArrayList<>();
            flatten(line.modifiers(), "", 1, modifiers);
            if (!modifiers.isEmpty()) {
                l.put("modifiers", modifiers);
            }
            lines.add(l);
        }
        o.put("line_items", lines);
        CanonicalOrder.Charges charges = order.charges();
        if (charges != null && charges.discounts() != null && !charges.discounts().isEmpty()) {
            List<Object> discounts = new ArrayList<>();
            for (CanonicalOrder.Adjustment d : charges.discounts()) {
                discounts.add(Map.of("uid", "discount-" + d.code(), "name", label(d), "type", "FIXED_AMOUNT",
                        "amount_money", money(new Money(Math.abs(d.amount().amount()), d.amount().currency())), "scope", "ORDER"));
            }
            o.put("discounts", discounts);
        }
        if (charges != null && charges.fees() != null && !charges.fees().isEmpty()) {
            List<Object> fees = new ArrayList<>();
            for (CanonicalOrder.Adjustment f : charges.fees()) {
                fees.add(Map.of("uid", "fee-" + f.code(), "name", label(f), "amount_money", money(f.amount()),
                        "calculation_phase", "SUBTOTAL_PHASE"));
            }
            o.put("service_charges", fees);
        }
        fulfillment(order).ifPresent(f -> o.put("fulfillments", List.of(f)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("idempotency_key", idempotencyKey.length() <= MAX_IDEMPOTENCY_KEY ? idempotencyKey
                : idempotencyKey.substring(idempotencyKey.length() - MAX_IDEMPOTENCY_KEY));
        body.put("order", o);
        return Optional.of(new VendorCall("POST", "/v2/orders", body,
                Map.of("Square-Version", adapter.requiredSetting("square-version"))));
    }

    /** Square modifiers are a flat list: a nested option becomes "Parent / Child", its quantity multiplied. */
    private static void flatten(List<CanonicalOrder.Modifier> modifiers, String path, int outer, List<Object> out) {
        if (modifiers == null) {
            return;
        }
        for (CanonicalOrder.Modifier m : modifiers) {
            int quantity = m.quantity() * outer;
            String name = path.isEmpty() ? m.name() : path + " / " + m.name();
            Map<String, Object> sq = new LinkedHashMap<>();
            sq.put("name", name);
            sq.put("quantity", Integer.toString(quantity));
            sq.put("base_price_money", money(m.unitPrice()));
            out.add(sq);
            flatten(m.modifiers(), name, Math.max(quantity, 1), out);
        }
    }

    private static Optional<Map<String, Object>> fulfillment(CanonicalOrder order) {
        if (order.type() == OrderType.DINE_IN) {
            return Optional.empty();
        }
        Map<String, Object> recipient = new LinkedHashMap<>();
        if (order.customer() != null) {
            if (order.customer().name() != null) {
                recipient.put("display_name", order.customer().name());
            }
            if (order.customer().phone() != null) {
                recipient.put("phone_number", phoneNumber(order.customer().phone()));
            }
        }
        if (!recipient.containsKey("display_name")) {
            // Square shows the recipient's name on the ticket; without a customer name, the channel's order number
            recipient.put("display_name", order.channel() + " " + (order.displayId() == null ? "order"
                    : order.displayId()));
        }
        String when = order.fulfilment() == null || order.fulfilment().scheduledFor() == null ? null
                : RFC3339.format(order.fulfilment().scheduledFor());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("schedule_type", when == null ? "ASAP" : "SCHEDULED");
        String access = order.customer() == null ? null : phoneAccessCode(order.customer().phone());
        if (access != null) {
            // a delivery platform's masked line: staff dial the number, then the code
            details.put("note", "Customer phone: " + order.customer().phone());
        }
        Map<String, Object> f = new LinkedHashMap<>();
        if (order.type() == OrderType.DELIVERY) {
            var a = order.fulfilment() == null ? null : order.fulfilment().address();
            if (a != null) {
                Map<String, Object> address = new LinkedHashMap<>();
                address.put("address_line_1", a.line1());
                address.put("address_line_2", a.line2());
                address.put("locality", a.city());
                address.put("postal_code", a.postalCode());
                address.put("country", a.country());
                address.values().removeIf(java.util.Objects::isNull);
                recipient.put("address", address);
            }
            if (when != null) {
                details.put("deliver_at", when);
            }
            details.put("recipient", recipient);
            f.put("type", "DELIVERY");
            f.put("state", "PROPOSED");
            f.put("delivery_details", details);
        } else {
            if (when != null) {
                details.put("pickup_at", when);
            }
            if (order.type() == OrderType.CURBSIDE) {
                details.put("is_curbside_pickup", true);
            }
            details.put("recipient", recipient);
            f.put("type", "PICKUP");
            f.put("state", "PROPOSED");
            f.put("pickup_details", details);
        }
        return Optional.of(f);
    }

    /** A platform's masked line ("+44 20 3808 0000 (code 842 19 337)"): Square takes the number alone. */
    private static final java.util.regex.Pattern MASKED_LINE =
            java.util.regex.Pattern.compile("^([+0-9][0-9 ().-]*[0-9])\\s*\\((code [0-9 ]+)\\)$");

    private static String phoneNumber(String phone) {
        java.util.regex.Matcher m = MASKED_LINE.matcher(phone.trim());
        return m.matches() ? m.group(1) : phone;
    }

    private static String phoneAccessCode(String phone) {
        if (phone == null) {
            return null;
        }
        java.util.regex.Matcher m = MASKED_LINE.matcher(phone.trim());
        return m.matches() ? m.group(2) : null;
    }

    private static Map<String, Object> money(Money m) {
        return Map.of("amount", m.amount(), "currency", m.currency());
    }

    private static String label(CanonicalOrder.Adjustment a) {
        return a.description() == null || a.description().isBlank() ? a.code() : a.description();
    }

    private static String note(String notes, List<String> allergies) {
        String allergy = allergies == null || allergies.isEmpty() ? null : "ALLERGY: " + String.join(", ", allergies);
        if (notes == null || notes.isBlank()) {
            return allergy;
        }
        return allergy == null ? notes : allergy + ". " + notes;
    }
}
