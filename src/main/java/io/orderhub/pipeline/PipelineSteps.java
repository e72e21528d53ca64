package io.orderhub.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.adapter.AdapterRegistry;
import io.orderhub.intake.IntakeRecord.IntakeState;
import io.orderhub.intake.IntakeStore;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.observability.HubMetrics;
import io.orderhub.order.OrderEvent;
import io.orderhub.order.OrderStore;
import io.orderhub.order.Timeline;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/** The Java behind the canonical pipeline's steps (routes/pipeline.yaml): store once, reject, make the event. */
@Component("pipeline")
public class PipelineSteps {

    private final OrderStore orders;
    private final IntakeStore intake;
    private final Timeline timeline;
    private final HubMetrics metrics;
    private final ObjectMapper json;
    private final AdapterRegistry adapters;
    private final Stages stages;

    /** Exchange property: after a rejection, whether the originating vendor is to be told (channel-status queue). */
    public static final String TELL_CHANNEL = "orderhubTellChannel";

    public PipelineSteps(OrderStore orders, IntakeStore intake, Timeline timeline, HubMetrics metrics,
                         ObjectMapper json, AdapterRegistry adapters, Stages stages) {
        this.adapters = adapters;
        this.stages = stages;
        this.orders = orders;
        this.intake = intake;
        this.timeline = timeline;
        this.metrics = metrics;
        this.json = json;
    }

    /** Dedupe and store in one transaction; the body becomes the order event to fan out. */
    public void storeOnce(Exchange exchange) {
        Message in = exchange.getMessage();
        CanonicalOrder order = in.getBody(CanonicalOrder.class);
        String businessKey = in.getHeader(Headers.BUSINESS_KEY, String.class);
        UUID intakeId = UUID.fromString(in.getHeader(Headers.INTAKE_ID, String.class));
        OrderStore.Stored stored = orders.storeOnce(order, businessKey, intakeId);
        // A duplicate re-publishes the original event under the same event id: if a crash came between the
        // database commit and the broker commit, this is what completes the fan-out; otherwise the broker's
        // duplicate detection and each stage's delivery record drop it.
        List<String> routed = toEvent(in, OrderEvent.created(stored.order()));
        if (stored.duplicate()) {
            metrics.duplicate(order.source());
        } else if (!stored.redelivered()) {
            metrics.accepted(order.source());
            routed.forEach(metrics::routed);
        }
    }

    /** Makes the message the event's: headers, JSON body, the stages it goes to (returned). */
    public List<String> toEvent(Message message, OrderEvent event) {
        message.setHeader(Headers.EVENT_ID, event.eventId());
        message.setHeader(Headers.EVENT_TYPE, event.type());
        message.setHeader(Headers.ORDER_ID, event.orderId().toString());
        message.setHeader(Headers.CORRELATION_ID, event.order().correlationId());
        message.setHeader(Headers.DUPLICATE_ID, event.eventId());
        List<String> targets = stages.concerned(event);
        message.setHeader(Headers.STAGES, String.join(",", targets));
        try {
            message.setBody(json.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return targets;
    }

    /**
     * A business rejection: stored with its reasons, visible through the API, no order event. A vendor's order
     * that was translated but cannot be taken becomes an {@code order.rejected} event for the channel-status stage,
     * so the vendor hears "no" with the reason instead of waiting for its own time-out.
     */
    public void reject(Exchange exchange) {
        Message in = exchange.getMessage();
        Throwable cause = DeadLetters.cause(exchange);
        String reason = cause instanceof OrderRejected r ? String.join("; ", r.reasons()) : DeadLetters.reason(cause);
        UUID intakeId = UUID.fromString(in.getHeader(Headers.INTAKE_ID, String.class));
        String source = in.getHeader(Headers.SOURCE, String.class);
        intake.markOutcome(intakeId, IntakeState.REJECTED, null, reason);
        timeline.record(intakeId, "rejected", "validate", source, reason);
        metrics.rejected(source);
        boolean tell = in.getBody() instanceof CanonicalOrder && adapters.find(source).isPresent();
        exchange.setProperty(TELL_CHANNEL, tell);
        if (tell) {
            toEvent(in, OrderEvent.rejected(in.getBody(CanonicalOrder.class), reason));
        }
    }
}
