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
import io.orderhub.broker.BrokerSends;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
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
    private final ProducerTemplate producer;
    private final BrokerSends sends;

    /**
     * Exchange property: the order was stored before (a duplicate intake, or this intake's message again), so its
     * event goes out again under its original id, each copy on its own ({@link #publishAgain}).
     */
    public static final String PUBLISH_AGAIN = "orderhubPublishAgain";

    /** Exchange property: after a rejection, whether the originating vendor is to be told (channel-status queue). */
    public static final String TELL_CHANNEL = "orderhubTellChannel";

    public PipelineSteps(OrderStore orders, IntakeStore intake, Timeline timeline, HubMetrics metrics,
                         ObjectMapper json, AdapterRegistry adapters, Stages stages, ProducerTemplate producer,
                         BrokerSends sends) {
        this.producer = producer;
        this.sends = sends;
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
        exchange.setProperty(PUBLISH_AGAIN, stored.duplicate() || stored.redelivered());
        if (stored.duplicate()) {
            metrics.duplicate(order.source());
        } else if (!stored.redelivered()) {
            metrics.accepted(order.source());
            routed.forEach(metrics::routed);
        }
    }

    /**
     * The event of an order stored before, sent again to its stages outside this consumer's broker transaction. A new
     * order's event joins that transaction (routes/pipeline.yaml), so it commits with the intake message's consume;
     * this one may already be on a stage queue (the first intake's fan-out committed; a message from before an
     * upgrade), and Artemis rolls back a whole transaction that sends a duplicate id, where a send on its own is
     * just dropped as a duplicate.
     */
    public void publishAgain(Exchange exchange) {
        List<String> endpoints = stages.endpoints(exchange);
        sends.onTheirOwn(() -> endpoints.forEach(endpoint -> {
            Exchange copy = exchange.copy();
            producer.send(endpoint, copy);
            if (copy.getException() != null) {
                throw org.apache.camel.RuntimeCamelException.wrapRuntimeCamelException(copy.getException());
            }
        }));
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
