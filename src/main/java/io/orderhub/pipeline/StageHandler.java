package io.orderhub.pipeline;

import io.orderhub.order.OrderEvent;

/**
 * The work of one consumer stage beyond recording the delivery (calling a vendor, a POS, a customer). Runs at most
 * once per (stage, event) that the stage has not recorded yet; throws {@link TransientFailure} or
 * {@link PermanentFailure} to let the stage's error policy retry or dead-letter the event.
 */
public interface StageHandler {

    String stage();

    void handle(OrderEvent event);
}
