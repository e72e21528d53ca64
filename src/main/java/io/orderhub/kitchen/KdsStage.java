package io.orderhub.kitchen;

import io.orderhub.model.OrderStatus;
import io.orderhub.order.OrderEvent;
import io.orderhub.order.Timeline;
import io.orderhub.pipeline.StageHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The kds stage: a new order becomes its station tickets at once (whether or not the POS has it yet); a cancelled
 * order's tickets are voided (they leave the screens); an order made ready or completed elsewhere (the POS, an
 * operator) clears its tickets.
 * <p>
 * The kitchen is the hub's own, with no outside system to wait for, so a new order's tickets are written in the
 * transaction that stores the order ({@code orderhub.kitchen.tickets-with-order}, on by default;
 * {@link io.orderhub.pipeline.StageHandler#takesNewOrdersInline}): they are on the screens as soon as the order
 * exists, without a queue hop and a commit of their own. If that fails, the order is stored all the same and its
 * event goes to this stage's queue. Status changes always come through the queue.
 */
@Component
public class KdsStage implements StageHandler {

    private final KitchenRouting routing;
    private final KitchenTickets tickets;
    private final KdsBroadcaster screens;
    private final Timeline timeline;
    private final Clock clock;
    private final io.orderhub.order.OrderStore orders;
    private final KdsWebhooks webhooks;
    private final boolean withOrder;

    public KdsStage(KitchenRouting routing, KitchenTickets tickets, KdsBroadcaster screens, Timeline timeline,
                    Clock clock, io.orderhub.order.OrderStore orders, KdsWebhooks webhooks,
                    @org.springframework.beans.factory.annotation.Value("${orderhub.kitchen.tickets-with-order:true}")
                    boolean withOrder) {
        this.withOrder = withOrder;
        this.orders = orders;
        this.webhooks = webhooks;
        this.routing = routing;
        this.tickets = tickets;
        this.screens = screens;
        this.timeline = timeline;
        this.clock = clock;
    }

    @Override
    public String stage() {
        return "kds";
    }

    @Override
    public boolean takesNewOrdersInline() {
        return withOrder;
    }

    /** A new order (its tickets), and a cancel, ready, dispatch or completion (its tickets leave the screens). */
    @Override
    public boolean concerns(OrderEvent event) {
        if (event.order() == null) {
            return false;
        }
        if (OrderEvent.CREATED.equals(event.type())) {
            return true;
        }
        OrderStatus status = event.order().status();
        return status == OrderStatus.CANCELLED || status == OrderStatus.READY || status == OrderStatus.COMPLETED
                || status == OrderStatus.DISPATCHED;
    }

    @Override
    public void handle(OrderEvent event) {
        if (event.order() == null) {
            return;
        }
        if (OrderEvent.CREATED.equals(event.type())) {
            // stage consumers run concurrently: a cancel may have overtaken the order's creation here
            OrderStatus current = orders.status(event.orderId()).orElse(OrderStatus.ACCEPTED);
            if (current == OrderStatus.CANCELLED || current == OrderStatus.REFUNDED) {
                return;
            }
            List<KitchenTicket> made = routing.tickets(event.order(), Instant.now(clock));
            // the tickets and their webhook events commit together; a held ticket is told when it fires
            List<KitchenTicket> created = webhooks.change(rows -> {
                List<KitchenTicket> stored = tickets.create(made);
                stored.stream().filter(t -> KitchenTicket.OPEN.equals(t.state()))
                        .forEach(t -> webhooks.add(rows, "kds.ticket.created", t, null));
                return stored;
            });
            if (!created.isEmpty()) {
                KitchenTicket first = made.get(0);
                timeline.record(event.orderId(), "kitchen", stage(), "hub", made.size() + " ticket(s): "
                        + String.join(", ", made.stream().map(KitchenTicket::station).toList())
                        + (KitchenTicket.HELD.equals(first.state()) ? "; held until " + first.fireAt() : ""));
                screens.changed(event.order().locationId());
            }
            return;
        }
        OrderStatus status = event.order().status();
        if (status == OrderStatus.CANCELLED) {
            screens.changed(finish(event, KitchenTicket.VOIDED, "kds.ticket.voided"));
        } else if (status == OrderStatus.READY || status == OrderStatus.COMPLETED
                || status == OrderStatus.DISPATCHED) {
            screens.changed(finish(event, KitchenTicket.DONE, "kds.ticket.done"));
        }
    }

    private List<String> finish(OrderEvent event, String state, String type) {
        return webhooks.change(rows -> tickets.finishOrder(event.orderId(), state, event.actor(),
                t -> webhooks.add(rows, type, t, null)));
    }
}
