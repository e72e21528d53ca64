package io.orderhub.menu;

import io.orderhub.model.CanonicalOrder;
import io.orderhub.model.CanonicalOrder.Modifier;
import io.orderhub.model.CanonicalOrder.OrderLine;
import io.orderhub.model.Money;
import io.orderhub.pipeline.OrderRejected;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The validate step: a canonical order is checked against its location's menu (items, availability, prices,
 * modifier groups with their min/max and forced choices) and its own arithmetic. Every problem found is
 * reported, not just the first, so an operator sees the whole reason at once.
 */
@Component("orderValidator")
public class OrderValidator {

    private final MenuCatalog menus;
    private final io.orderhub.adapter.AdapterRegistry adapters;

    public OrderValidator(MenuCatalog menus, io.orderhub.adapter.AdapterRegistry adapters) {
        this.menus = menus;
        this.adapters = adapters;
    }

    /**
     * Prices are checked against the menu unless the order's adapter says the platform sets them
     * ({@code menu-prices: platform}): then the guest paid the platform's price, and only items, availability,
     * modifier groups and the order's own arithmetic are checked.
     */
    public CanonicalOrder validate(CanonicalOrder order) {
        boolean checkPrices = adapters.find(order.source()).map(a -> !a.descriptor().pricesFromPlatform())
                .orElse(true);
        List<String> problems = new ArrayList<>();
        Menu menu = menus.forLocation(order.locationId()).orElse(null);
        if (menu == null) {
            throw new OrderRejected(List.of("unknown location '" + order.locationId() + "'"));
        }
        if (!menu.location().currency().equals(order.currency())) {
            problems.add("currency " + order.currency() + " does not match location currency "
                    + menu.location().currency());
        }
        Map<String, Menu.Item> items = menu.itemsById();
        for (OrderLine line : order.lines()) {
            String where = "line " + line.lineId() + " (" + line.itemId() + ")";
            Menu.Item item = items.get(line.itemId());
            if (item == null) {
                problems.add(where + ": unknown item '" + line.itemId() + "' at " + order.locationId());
                continue;
            }
            if (!item.isAvailable()) {
                problems.add(where + ": " + item.name() + " is not available at " + order.locationId());
            }
            if (checkPrices && line.unitPrice().amount() != item.price()) {
                problems.add(where + ": wrong price " + line.unitPrice().amount() + ", " + item.name() + " costs "
                        + item.price() + " at " + order.locationId());
            }
            checkModifiers(where, item.groups(), line.modifiers(), problems, checkPrices);
            Money expected = Pricing.lineTotal(line.unitPrice(), line.modifiers(), line.quantity());
            if (!expected.equals(line.lineTotal())) {
                problems.add(where + ": line total " + line.lineTotal().amount() + " should be " + expected.amount());
            }
        }
        checkTotals(order, problems);
        if (!problems.isEmpty()) {
            throw new OrderRejected(problems);
        }
        return order;
    }

    private void checkModifiers(String where, List<Menu.ModifierGroup> groups, List<Modifier> chosen,
                                List<String> problems, boolean checkPrices) {
        Map<String, Integer> countByGroup = new LinkedHashMap<>();
        for (Modifier m : chosen == null ? List.<Modifier>of() : chosen) {
            Menu.ModifierGroup group = groups.stream().filter(g -> g.id().equals(m.groupId())).findFirst()
                    .orElse(null);
            if (group == null) {
                problems.add(where + ": modifier group '" + m.groupId() + "' does not apply here");
                continue;
            }
            Menu.Option option = group.option(m.modifierId()).orElse(null);
            if (option == null) {
                problems.add(where + ": '" + m.modifierId() + "' is not an option of " + group.name());
                continue;
            }
            if (!option.isAvailable()) {
                problems.add(where + ": " + option.name() + " is not available");
            }
            if (checkPrices && m.unitPrice().amount() != option.price()) {
                problems.add(where + ": wrong price " + m.unitPrice().amount() + " for " + option.name() + ", costs "
                        + option.price());
            }
            countByGroup.merge(group.id(), m.quantity(), Integer::sum);
            checkModifiers(where + " > " + option.name(), option.groups(), m.modifiers(), problems, checkPrices);
        }
        for (Menu.ModifierGroup group : groups) {
            int count = countByGroup.getOrDefault(group.id(), 0);
            if (count < group.min()) {
                problems.add(where + ": " + group.name() + " needs at least " + group.min() + " choice"
                        + (group.min() == 1 ? "" : "s") + ", got " + count);
            }
            if (count > group.max()) {
                problems.add(where + ": too many modifiers in " + group.name() + ": " + count + ", at most "
                        + group.max());
            }
        }
    }

    private void checkTotals(CanonicalOrder order, List<String> problems) {
        var c = order.charges();
        Money subtotal = Pricing.subtotal(order.lines(), order.currency());
        if (!subtotal.equals(c.subtotal())) {
            problems.add("subtotal " + c.subtotal().amount() + " should be " + subtotal.amount());
        }
    }
}
