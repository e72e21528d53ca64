package io.orderhub.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.menu.Menu;
import io.orderhub.menu.MenuCatalog;
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
import io.orderhub.pipeline.OrderTranslator;
import io.orderhub.pipeline.PermanentFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Own channels send prices in minor units; names, stations, tax and fees come from the location's menu, so the
 * hub, not the client, owns the arithmetic. A total the guest was shown that differs from the hub's is refused.
 */
@Component
public class OwnChannelTranslator implements OrderTranslator {

    public static final String SOURCE = "own-channel";

    /** The request's Bean Validation rules, the ones the API applies. */
    private static final jakarta.validation.Validator FIELDS = jakarta.validation.Validation
            .buildDefaultValidatorFactory().getValidator();

    private final ObjectMapper json;
    private final MenuCatalog menus;

    public OwnChannelTranslator(ObjectMapper json, MenuCatalog menus) {
        this.json = json;
        this.menus = menus;
    }

    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public CanonicalOrder translate(String payload, IntakeContext context) {
        OwnChannelOrderRequest r;
        try {
            r = json.readValue(payload, OwnChannelOrderRequest.class);
        } catch (JsonProcessingException e) {
            throw new PermanentFailure("own-channel payload is not an order: " + e.getOriginalMessage(), e);
        }
        if (r == null) {
            throw new PermanentFailure("own-channel payload is not an order: empty or null");
        }
        // the API checks these before it stores a body; a stored payload can also come from elsewhere (an operator's
        // edit, a replay), so the translator holds it to the same rules instead of failing on a missing field
        var violations = FIELDS.validate(r);
        if (!violations.isEmpty()) {
            throw new PermanentFailure("own-channel payload is not a valid order: " + violations.stream()
                    .map(v -> v.getPropertyPath() + " " + v.getMessage()).sorted()
                    .collect(java.util.stream.Collectors.joining("; ")));
        }
        Menu menu = menus.forLocation(r.locationId())
                .orElseThrow(() -> new OrderRejected(List.of("unknown location '" + r.locationId() + "'")));
        Menu.Location location = menu.location();
        String currency = r.currency();
        if (!currency.equals(location.currency())) {
            throw new OrderRejected(List.of("currency " + currency + " does not match location currency "
                    + location.currency()));
        }
        Map<String, Menu.Item> items = menu.itemsById();

        List<OrderLine> lines = new ArrayList<>();
        int n = 1;
        for (OwnChannelOrderRequest.Line l : r.lines()) {
            Optional<Menu.Item> item = Optional.ofNullable(items.get(l.itemId()));
            List<Modifier> modifiers = modifiers(l.modifiers(), item.map(Menu.Item::groups).orElse(List.of()),
                    currency);
            Money unit = Money.ofMinor(l.unitPrice(), currency);
            lines.add(new OrderLine(String.valueOf(n++), l.itemId(), item.map(Menu.Item::name).orElse(l.itemId()),
                    l.quantity(), unit, modifiers, Pricing.lineTotal(unit, modifiers, l.quantity()), l.notes(),
                    nullSafe(l.allergies()), item.map(Menu.Item::station).orElse(null)));
        }
        OrderType type = OrderType.fromWire(r.type());
        List<Adjustment> fees = new ArrayList<>();
        if (type == OrderType.DELIVERY && location.deliveryFee() != null && location.deliveryFee() > 0) {
            fees.add(new Adjustment("delivery", "Delivery fee", Money.ofMinor(location.deliveryFee(), currency)));
        }
        Money tip = Money.ofMinor(r.tip() == null ? 0 : r.tip(), currency);
        CanonicalOrder.Charges charges = Pricing.charges(lines, List.of(), fees, tip, location);
        if (r.expectedTotal() != null && r.expectedTotal() != charges.total().amount()) {
            throw new OrderRejected(List.of("wrong total: the guest was shown " + r.expectedTotal()
                    + ", the hub computes " + charges.total().amount() + " " + currency));
        }

        List<ExternalId> externalIds = new ArrayList<>();
        if (r.externalId() != null) {
            externalIds.add(new ExternalId(context.clientId(), r.externalId()));
        }
        var fulfilment = r.fulfilment();
        var customer = r.customer() == null ? null : new CanonicalOrder.Customer(r.customer().name(),
                r.customer().phone(), r.customer().email(), r.customer().marketingConsent());
        List<CanonicalOrder.PaymentRef> payments = r.payments() == null ? List.of() : r.payments().stream()
                .map(p -> new CanonicalOrder.PaymentRef(p.method(), p.provider(), p.token(), p.last4(), p.authCode(),
                        p.amount() == null ? null : Money.ofMinor(p.amount(), currency), p.status()))
                .toList();
        return new CanonicalOrder(CanonicalOrder.SCHEMA_VERSION, context.orderId(), externalIds, SOURCE, r.channel(),
                location.brandId(), r.locationId(), r.externalId(), type, OrderStatus.ACCEPTED, 1,
                context.correlationId(), context.receivedAt(), context.receivedAt(), currency, lines, charges, customer,
                payments,
                new CanonicalOrder.Fulfilment(location.timeZone(),
                        fulfilment == null ? null : fulfilment.scheduledFor(), null,
                        fulfilment == null ? null : fulfilment.table(),
                        fulfilment == null || fulfilment.address() == null ? null : address(fulfilment.address()),
                        fulfilment == null ? null : fulfilment.priority()),
                r.notes(), nullSafe(r.allergies()));
    }

    private static CanonicalOrder.DeliveryAddress address(OwnChannelOrderRequest.Address a) {
        return new CanonicalOrder.DeliveryAddress(a.line1(), a.line2(), a.city(), a.postalCode(), a.country(),
                a.instructions());
    }

    private static List<Modifier> modifiers(List<OwnChannelOrderRequest.ModifierChoice> chosen,
                                            List<Menu.ModifierGroup> groups, String currency) {
        List<Modifier> out = new ArrayList<>();
        for (OwnChannelOrderRequest.ModifierChoice c : nullSafe(chosen)) {
            Optional<Menu.Option> option = groups.stream().filter(g -> g.id().equals(c.groupId())).findFirst()
                    .flatMap(g -> g.option(c.modifierId()));
            out.add(new Modifier(c.modifierId(), c.groupId(), option.map(Menu.Option::name).orElse(c.modifierId()),
                    c.quantity(), Money.ofMinor(c.unitPrice(), currency),
                    modifiers(c.modifiers(), option.map(Menu.Option::groups).orElse(List.of()), currency)));
        }
        return out;
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
