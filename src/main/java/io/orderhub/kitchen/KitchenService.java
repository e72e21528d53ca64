package io.orderhub.kitchen;

import io.orderhub.model.OrderStatus;
import io.orderhub.order.OrderLifecycle;
import io.orderhub.order.OrderStore;
import io.orderhub.order.Timeline;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * What the kitchen does to tickets, and what that means for the order: the first bump of an item starts the order
 * (accepted -> in preparation), the last ticket of the order bumped makes it ready. Both go through the one state
 * machine as {@code kds:<station>}, so the POS, the channel and the customer hear of it through their stages.
 */
@Service
public class KitchenService {

    /** The bump cannot be done: the ticket is finished, or the order moved on (cancelled). */
    public static class Refused extends RuntimeException {
        private final int status;

        public Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final KitchenTickets tickets;
    private final OrderLifecycle lifecycle;
    private final OrderStore orders;
    private final Timeline timeline;
    private final KdsBroadcaster screens;
    private final Clock clock;
    private final KdsWebhooks webhooks;

    public KitchenService(KitchenTickets tickets, OrderLifecycle lifecycle, OrderStore orders, Timeline timeline,
                          KdsBroadcaster screens, Clock clock, KdsWebhooks webhooks) {
        this.webhooks = webhooks;
        this.tickets = tickets;
        this.lifecycle = lifecycle;
        this.orders = orders;
        this.timeline = timeline;
        this.screens = screens;
        this.clock = clock;
    }

    /** Bumps one item (cooked); the first bump starts the order. */
    public KitchenTicket bumpItem(UUID ticketId, int index, String who) {
        for (int attempt = 0; attempt < 5; attempt++) {
            KitchenTicket t = open(ticketId, who);
            if (t.items().stream().noneMatch(i -> i.index() == index)) {
                throw new Refused(404, "ticket " + ticketId + " has no item " + index);
            }
            List<KitchenTicket.Item> items = new ArrayList<>();
            for (KitchenTicket.Item i : t.items()) {
                items.add(i.index() == index ? i.bump() : i);
            }
            boolean all = items.stream().allMatch(KitchenTicket.Item::bumped);
            Instant now = Instant.now(clock);
            KitchenTicket changed = withItems(t, items, all ? KitchenTicket.DONE : t.state(),
                    t.startedAt() == null ? now : t.startedAt(), all ? now : null, all ? who : null);
            boolean saved = webhooks.change(rows -> {
                if (!tickets.save(changed)) {
                    return false;
                }
                webhooks.add(rows, "kds.item.bumped", changed, index);
                if (all) {
                    webhooks.add(rows, "kds.ticket.done", changed, null);
                }
                return true;
            });
            if (saved) {
                afterChange(changed, who, "item " + index + " (" + t.items().get(0).name() + ") bumped");
                return changed;
            }
        }
        throw new Refused(409, "the ticket kept changing; try again");
    }

    /** Bumps the whole ticket (every item done). */
    public KitchenTicket bumpTicket(UUID ticketId, String who) {
        for (int attempt = 0; attempt < 5; attempt++) {
            KitchenTicket t = open(ticketId, who);
            Instant now = Instant.now(clock);
            KitchenTicket changed = withItems(t, t.items().stream().map(KitchenTicket.Item::bump).toList(),
                    KitchenTicket.DONE, t.startedAt() == null ? now : t.startedAt(), now, who);
            boolean saved = webhooks.change(rows -> {
                if (!tickets.save(changed)) {
                    return false;
                }
                webhooks.add(rows, "kds.ticket.done", changed, null);
                return true;
            });
            if (saved) {
                afterChange(changed, who, "ticket bumped");
                return changed;
            }
        }
        throw new Refused(409, "the ticket kept changing; try again");
    }

    private KitchenTicket open(UUID ticketId, String who) {
        KitchenTicket t = tickets.find(ticketId).orElseThrow(() -> new Refused(404, "no ticket " + ticketId));
        if (t.finished()) {
            throw new Refused(409, "ticket " + ticketId + " is " + t.state().toLowerCase());
        }
        if (KitchenTicket.HELD.equals(t.state()) && t.fireAt().isAfter(Instant.now(clock))) {
            throw new Refused(409, "ticket " + ticketId + " is held until " + t.fireAt());
        }
        // a cancel (or refund) that won the race: its event has not voided the ticket yet, the bump loses
        OrderStatus status = orders.status(t.orderId()).orElse(null);
        if (status == OrderStatus.CANCELLED || status == OrderStatus.REFUNDED) {
            timeline.record(t.orderId(), "update-refused", "kds", "kds:" + t.station(), "bump by " + who
                    + " refused: the order is " + status.wire());
            throw new Refused(409, "the order is " + status.wire() + "; its tickets leave the screens");
        }
        return t;
    }

    private static KitchenTicket withItems(KitchenTicket t, List<KitchenTicket.Item> items, String state,
                                           Instant startedAt, Instant bumpedAt, String bumpedBy) {
        String s = KitchenTicket.HELD.equals(state) ? KitchenTicket.OPEN : state;
        return new KitchenTicket(t.id(), t.orderId(), t.locationId(), t.station(), t.displayId(), t.orderType(),
                t.channel(), t.priority(), s, t.fireAt(), t.dueAt(), t.createdAt(), startedAt, bumpedAt, bumpedBy,
                t.notes(), t.allergies(), items, t.version(), t.notInPos());
    }

    private void afterChange(KitchenTicket t, String who, String what) {
        String actor = "kds:" + t.station();
        timeline.record(t.orderId(), "kitchen", "kds", who, t.station() + ": " + what);
        screens.changed(t.locationId());
        OrderStatus status = orders.status(t.orderId()).orElse(null);
        if (status == null) {
            return;
        }
        if (status == OrderStatus.ACCEPTED) {
            move(t.orderId(), OrderStatus.IN_PREPARATION, actor, who);
        }
        boolean allDone = tickets.ofOrder(t.orderId()).stream().allMatch(KitchenTicket::finished);
        OrderStatus now = orders.status(t.orderId()).orElse(status);
        if (allDone && now == OrderStatus.IN_PREPARATION) {
            move(t.orderId(), OrderStatus.READY, actor, who);
        }
    }

    private void move(UUID orderId, OrderStatus to, String actor, String who) {
        try {
            lifecycle.change(orderId, to, actor, "bumped by " + who);
        } catch (OrderLifecycle.IllegalTransition refused) {
            // the order moved on meanwhile (a cancel): the timeline says what the kitchen did, the order keeps its
            // state; the cancel voids the tickets
            timeline.record(orderId, "update-refused", "kds", actor, to.wire() + ": " + refused.getMessage());
        }
    }
}
