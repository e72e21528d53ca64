package io.orderhub.kitchen;

import io.orderhub.database.Ids;
import io.orderhub.menu.Menu;
import io.orderhub.menu.MenuCatalog;
import io.orderhub.model.CanonicalOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Splits an order into station tickets: each line goes to its menu item's station for the order's type (the item's
 * {@code stationFor}, else its {@code station}; the line's own station, or {@code orderhub.kitchen.default-station},
 * when the menu does not know the item), with the item's preparation
 * time. The order is timed as a whole: it should be ready when its slowest item is (ASAP) or at its scheduled time;
 * each item starts that long before, so slow items fire first and everything finishes together. A scheduled order's
 * tickets are held until their lead time: scheduled time minus the slowest item minus
 * {@code orderhub.kitchen.lead-buffer}. Priority: scheduled, rush (asked for by the channel, or promised sooner than
 * the kitchen can make it), vip (asked for by the channel) or normal; screens show rush, then vip, then the rest,
 * each by due time.
 */
@Component
public class KitchenRouting {

    private final MenuCatalog menus;
    private final String defaultStation;
    private final int defaultPrepMinutes;
    private final Duration leadBuffer;

    public KitchenRouting(MenuCatalog menus,
                          @Value("${orderhub.kitchen.default-station:kitchen}") String defaultStation,
                          @Value("${orderhub.kitchen.default-prep-minutes:5}") int defaultPrepMinutes,
                          @Value("${orderhub.kitchen.lead-buffer:5m}") Duration leadBuffer) {
        this.menus = menus;
        this.defaultStation = defaultStation;
        this.defaultPrepMinutes = defaultPrepMinutes;
        this.leadBuffer = leadBuffer;
    }

    public List<KitchenTicket> tickets(CanonicalOrder order, Instant now) {
        Optional<Menu> menu = menus.forLocation(order.locationId());
        record Routed(CanonicalOrder.OrderLine line, int index, String station, int prep) {
        }
        List<Routed> routed = new ArrayList<>();
        int index = 0;
        for (CanonicalOrder.OrderLine line : order.lines()) {
            Optional<Menu.Item> item = menu.flatMap(m -> m.items().stream()
                    .filter(i -> i.id().equals(line.itemId())).findFirst());
            String station = item.map(i -> i.stationFor(order.type().wire())).filter(s -> s != null && !s.isBlank())
                    .orElse(line.station() != null && !line.station().isBlank() ? line.station() : defaultStation);
            int prep = item.map(Menu.Item::prepMinutes).filter(p -> p != null && p >= 0).orElse(defaultPrepMinutes);
            routed.add(new Routed(line, index++, station, prep));
        }
        int slowest = routed.stream().mapToInt(Routed::prep).max().orElse(0);
        Instant scheduled = order.fulfilment() == null || order.fulfilment().scheduledFor() == null ? null
                : order.fulfilment().scheduledFor().toInstant();
        boolean held = scheduled != null && scheduled.minus(Duration.ofMinutes(slowest)).minus(leadBuffer).isAfter(now);
        Instant ready = held ? scheduled.minus(leadBuffer) : now.plus(Duration.ofMinutes(slowest));
        Instant fireAt = held ? ready.minus(Duration.ofMinutes(slowest)) : now;
        Instant promised = order.fulfilment() == null || order.fulfilment().promisedAt() == null ? null
                : order.fulfilment().promisedAt().toInstant();
        String asked = order.fulfilment() == null ? null : order.fulfilment().priority();
        String priority = scheduled != null ? "scheduled"
                : "rush".equals(asked) || promised != null && promised.isBefore(ready) ? "rush"
                : "vip".equals(asked) ? "vip" : "normal";

        Map<String, List<KitchenTicket.Item>> byStation = new LinkedHashMap<>();
        for (Routed r : routed) {
            CanonicalOrder.OrderLine l = r.line();
            byStation.computeIfAbsent(r.station(), s -> new ArrayList<>()).add(new KitchenTicket.Item(r.index(),
                    l.name() != null ? l.name() : l.itemId(), l.quantity(), modifiers(l.modifiers(), ""), l.notes(),
                    l.allergies() == null ? List.of() : l.allergies(), r.prep(),
                    ready.minus(Duration.ofMinutes(r.prep())), false));
        }
        List<KitchenTicket> out = new ArrayList<>();
        byStation.forEach((station, items) -> out.add(new KitchenTicket(Ids.next(), order.id(),
                order.locationId(), station, order.displayId(), order.type().wire(), order.channel(), priority,
                held ? KitchenTicket.HELD : KitchenTicket.OPEN, fireAt, ready, now, null, null, null, order.notes(),
                order.allergies() == null ? List.of() : order.allergies(), items, 0, false)));
        return out;
    }

    /** Modifiers as the cook reads them: "2 x Cheddar", "No Onions", nested as "Fries / Large". */
    private static List<String> modifiers(List<CanonicalOrder.Modifier> modifiers, String path) {
        List<String> out = new ArrayList<>();
        if (modifiers == null) {
            return out;
        }
        for (CanonicalOrder.Modifier m : modifiers) {
            String name = path + (m.name() != null ? m.name() : m.modifierId());
            out.add(m.quantity() == 0 ? "No " + name : m.quantity() > 1 ? m.quantity() + " x " + name : name);
            out.addAll(modifiers(m.modifiers(), name + " / "));
        }
        return out;
    }
}
