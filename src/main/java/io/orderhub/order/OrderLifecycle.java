package io.orderhub.order;

import io.orderhub.model.CanonicalOrder;
import io.orderhub.model.OrderStateMachine;
import io.orderhub.model.OrderStatus;
import io.orderhub.pipeline.Outbox;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves orders through the one state machine. The change, its timeline entry and its event commit together;
 * the event is published after commit (and by the outbox relay if the hub dies first).
 */
@Service
public class OrderLifecycle {

    private final OrderStore orders;
    private final Timeline timeline;
    private final Outbox outbox;
    private final TransactionTemplate tx;

    public OrderLifecycle(OrderStore orders, Timeline timeline, Outbox outbox, TransactionTemplate tx) {
        this.orders = orders;
        this.timeline = timeline;
        this.outbox = outbox;
        this.tx = tx;
    }

    /** The move is not allowed from the order's current status; the message says why. */
    public static class IllegalTransition extends RuntimeException {
        public IllegalTransition(String reason) {
            super(reason);
        }
    }

    public static class OrderNotFound extends RuntimeException {
        public OrderNotFound(UUID id) {
            super("no order " + id);
        }
    }

    public CanonicalOrder change(UUID id, OrderStatus to, String actor, String reason) {
        for (int attempt = 0; ; attempt++) {
            CanonicalOrder current = orders.find(id).orElseThrow(() -> new OrderNotFound(id));
            Optional<String> refusal = OrderStateMachine.check(current.status(), to, current.type());
            if (refusal.isPresent()) {
                throw new IllegalTransition(refusal.get());
            }
            CanonicalOrder changed = current.withStatus(to, current.version() + 1, orders.now());
            UUID eventRow = tx.execute(s -> {
                if (!orders.updateStatus(changed, current.version())) {
                    return null;
                }
                timeline.record(id, "status", null, actor, current.status().wire() + " -> " + to.wire()
                        + (reason == null ? "" : " (" + reason + ")"));
                return outbox.add(OrderEvent.statusChanged(changed, actor, reason));
            });
            if (eventRow != null) {
                outbox.publish(eventRow);
                return changed;
            }
            if (attempt >= 5) {
                throw new IllegalTransition("the order kept changing under this request; try again");
            }
        }
    }
}
