package io.orderhub.kitchen;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What one station has to make for one order. {@code state}: HELD (a scheduled order, not fired yet), OPEN (on the
 * screen), DONE (bumped), VOIDED (the order was cancelled). {@code notInPos}: the order has not reached the
 * location's POS yet (the POS is down or refused it); the kitchen cooks it anyway and the ticket says so.
 */
public record KitchenTicket(UUID id, UUID orderId, String locationId, String station, String displayId,
                            String orderType, String channel, String priority, String state, Instant fireAt,
                            Instant dueAt, Instant createdAt, Instant startedAt, Instant bumpedAt, String bumpedBy,
                            String notes, List<String> allergies, List<Item> items, int version, boolean notInPos) {

    public static final String HELD = "HELD";
    public static final String OPEN = "OPEN";
    public static final String DONE = "DONE";
    public static final String VOIDED = "VOIDED";

    /**
     * One line of the ticket. {@code startAt}: when to start it so that the ticket's items (and the order's other
     * stations) finish together: the slowest item starts at once, quicker ones later.
     */
    public record Item(int index, String name, int quantity, List<String> modifiers, String notes,
                       List<String> allergies, int prepMinutes, Instant startAt, boolean bumped) {

        Item bump() {
            return new Item(index, name, quantity, modifiers, notes, allergies, prepMinutes, startAt, true);
        }
    }

    public boolean finished() {
        return DONE.equals(state) || VOIDED.equals(state);
    }
}
