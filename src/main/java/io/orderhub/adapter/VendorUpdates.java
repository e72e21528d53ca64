package io.orderhub.adapter;

import io.orderhub.intake.IntakeRecord.IntakeState;
import io.orderhub.intake.IntakeStore;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.order.OrderLifecycle;
import io.orderhub.order.OrderStore;
import io.orderhub.order.Timeline;
import io.orderhub.pipeline.Headers;
import io.orderhub.pipeline.TransientFailure;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The pipeline's step for vendor payloads that are not new orders: a vendor's status change (a cancellation by the
 * guest) goes through the one state machine as "vendor:&lt;id&gt;"; an event the hub does not act on is kept with why.
 */
@Component("vendorUpdates")
public class VendorUpdates {

    private final OrderStore orders;
    private final IntakeStore intake;
    private final Timeline timeline;
    private final OrderLifecycle lifecycle;
    private final io.orderhub.observability.HubMetrics metrics;

    public VendorUpdates(OrderStore orders, IntakeStore intake, Timeline timeline, OrderLifecycle lifecycle,
                         io.orderhub.observability.HubMetrics metrics) {
        this.metrics = metrics;
        this.orders = orders;
        this.intake = intake;
        this.timeline = timeline;
        this.lifecycle = lifecycle;
    }

    /** A vendor's update to an order the hub has (or an event it keeps without acting): applied once, recorded. */
    public void apply(Exchange exchange) {
        Message in = exchange.getMessage();
        UUID intakeId = UUID.fromString(in.getHeader(Headers.INTAKE_ID, String.class));
        String source = in.getHeader(Headers.SOURCE, String.class);
        Inbound inbound = in.getBody(Inbound.class);
        if (inbound instanceof Inbound.Ignored ignored) {
            processed(intakeId, null, "ignored: " + ignored.why(), source);
            return;
        }
        Inbound.OrderUpdate update = (Inbound.OrderUpdate) inbound;
        CanonicalOrder order = orders.findByExternalId(source, update.externalOrderId()).orElseThrow(() ->
                // the update may have overtaken the order itself: retried, dead-lettered after the last attempt
                new TransientFailure("no " + source + " order " + update.externalOrderId() + " (yet) for this update"));
        String actor = "vendor:" + source;
        if (order.status() == update.status()) {
            processed(intakeId, order.id(), "already " + update.status().wire(), source);
            return;
        }
        try {
            lifecycle.change(order.id(), update.status(), actor, update.reason());
            processed(intakeId, order.id(), "status " + update.status().wire(), source);
        } catch (OrderLifecycle.IllegalTransition refused) {
            intake.markOutcome(intakeId, IntakeState.REJECTED, order.id(), refused.getMessage());
            metrics.rejected(source);
            timeline.record(order.id(), "update-refused", null, actor, update.status().wire() + ": "
                    + refused.getMessage());
        }
    }

    private void processed(UUID intakeId, UUID orderId, String outcome, String source) {
        intake.markOutcome(intakeId, IntakeState.PROCESSED, orderId, outcome);
        metrics.processed(source);
    }
}
