package io.orderhub.menu;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A location's canonical menu, loaded from config/menus/&lt;location&gt;.yaml. Prices are integer minor units. */
public record Menu(Location location, List<Item> items) {

    public record Location(String id, String brandId, String name, String currency, String timeZone,
                           java.math.BigDecimal taxRatePercent, boolean taxIncluded, Long deliveryFee) {
    }

    /** {@code prepMinutes}: how long the kitchen takes to make one (the KDS fires slow items first). */
    /**
     * {@code stationFor}: another station for some order types (type wire name → station), e.g. canned drinks
     * bagged at the pass for delivery instead of poured at the bar.
     */
    public record Item(String id, String name, long price, Boolean available, String station,
                       List<ModifierGroup> modifierGroups, Integer prepMinutes, Map<String, String> stationFor) {

        /** The station that makes this item for an order of that type. */
        public String stationFor(String orderType) {
            String other = stationFor == null ? null : stationFor.get(orderType);
            return other != null && !other.isBlank() ? other : station;
        }

        public boolean isAvailable() {
            return available == null || available;
        }

        public List<ModifierGroup> groups() {
            return modifierGroups == null ? List.of() : modifierGroups;
        }
    }

    /** min &gt; 0 makes the group a forced choice; max caps the options (counting quantities). */
    public record ModifierGroup(String id, String name, int min, int max, List<Option> options) {
        public Optional<Option> option(String optionId) {
            return options.stream().filter(o -> o.id().equals(optionId)).findFirst();
        }
    }

    public record Option(String id, String name, long price, Boolean available, List<ModifierGroup> modifierGroups) {
        public boolean isAvailable() {
            return available == null || available;
        }

        public List<ModifierGroup> groups() {
            return modifierGroups == null ? List.of() : modifierGroups;
        }
    }

    public Map<String, Item> itemsById() {
        return items.stream().collect(Collectors.toMap(Item::id, Function.identity()));
    }
}
