package io.orderhub.pipeline;

import io.orderhub.order.OrderEvent;

/**
 * The work of one consumer stage beyond recording the delivery (calling a vendor, a POS, a customer). Runs at most
 * once per (stage, event) that the stage has not recorded yet; throws {@link TransientFailure} or
 * {@link PermanentFailure} to let the stage's error policy retry or dead-letter the event.
 */
public interface StageHandler {

    String stage();

    /**
     * Whether this stage has anything to do for the event. The fan-out publishes an event only to the stages it
     * concerns (header {@link Headers#STAGES}), so that no queue, consume and commit is spent on, say, telling
     * a vendor about an own-channel order. Decide from the event alone (it is asked before the event is
     * published); when unsure, say yes: {@link #handle} may still find nothing to do.
     */
    default boolean concerns(OrderEvent event) {
        return true;
    }

    /**
     * Whether this stage takes a new order ({@code order.created}) inside the database transaction that stores it,
     * instead of from its queue. For a stage with no outside system to wait for (the kitchen's own tickets): the
     * order then costs no queue hop and no commit of the stage's own, and the stage's work is there the moment the
     * order is. A failure there is rolled back alone (a savepoint) and the event goes to the stage's queue as usual,
     * under its error policy.
     */
    default boolean takesNewOrdersInline() {
        return false;
    }

    void handle(OrderEvent event);
}
