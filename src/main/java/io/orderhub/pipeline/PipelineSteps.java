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
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

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
    /** Looked up on first use: the stages' handlers reach the outbox, which reaches this. */
    private final ObjectProvider<StageDelivery> deliveries;
    private final TransactionTemplate transaction;

    /**
     * Exchange property: the order was stored before (a duplicate intake, or this intake's message again), so its
     * event goes out again under its original id, each copy on its own ({@link #publishAgain}).
     */
    public static final String PUBLISH_AGAIN = "orderhubPublishAgain";

    /** Exchange property: after a rejection, whether the originating vendor is to be told (channel-status queue). */
    public static final String TELL_CHANNEL = "orderhubTellChannel";

    public PipelineSteps(OrderStore orders, IntakeStore intake, Timeline timeline, HubMetrics metrics,
                         ObjectMapper json, AdapterRegistry adapters, Stages stages, ProducerTemplate producer,
                         BrokerSends sends, ObjectProvider<StageDelivery> deliveries,
                         PlatformTransactionManager transactions) {
        this.deliveries = deliveries;
        this.transaction = new TransactionTemplate(transactions);
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

    /**
     * Dedupe and store in one transaction, with the work of the stages that take a new order inline (the kitchen's
     * tickets); the body becomes the order event to fan out to the other stages it concerns.
     */
    public void storeOnce(Exchange exchange) {
        Message in = exchange.getMessage();
        CanonicalOrder order = in.getBody(CanonicalOrder.class);
        String businessKey = in.getHeader(Headers.BUSINESS_KEY, String.class);
        UUID intakeId = UUID.fromString(in.getHeader(Headers.INTAKE_ID, String.class));
        List<String> inline = new java.util.ArrayList<>();
        OrderStore.Stored stored = transaction.execute(tx -> {
            OrderStore.Stored s = orders.storeOnce(order, businessKey, intakeId);
            if (!s.duplicate() && !s.redelivered()) {
                inline.addAll(deliveries.getObject().deliverInline(OrderEvent.created(s.order())));
            }
            return s;
        });
        // A duplicate re-publishes the original event under the same event id: if a crash came between the
        // database commit and the broker commit, this is what completes the fan-out; otherwise the broker's
        // duplicate detection and each stage's delivery record drop it. (It goes to every stage it concerns, the
        // inline ones too: their delivery record tells whether they had it.)
        List<String> routed = toEvent(in, OrderEvent.created(stored.order()), inline);
        exchange.setProperty(PUBLISH_AGAIN, stored.duplicate() || stored.redelivered());
        if (stored.duplicate()) {
            metrics.duplicate(order.source());
        } else if (!stored.redelivered()) {
            metrics.accepted(order.source());
            inline.forEach(metrics::routed);
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
        return toEvent(message, event, List.of());
    }

    /** As {@link #toEvent(Message, OrderEvent)}, but not to the stages that already have the event. */
    List<String> toEvent(Message message, OrderEvent event, List<String> delivered) {
        message.setHeader(Headers.EVENT_ID, event.eventId());
        message.setHeader(Headers.EVENT_TYPE, event.type());
        message.setHeader(Headers.ORDER_ID, event.orderId().toString());
        message.setHeader(Headers.CORRELATION_ID, event.order().correlationId());
        message.setHeader(Headers.DUPLICATE_ID, event.eventId());
        List<String> targets = stages.concerned(event).stream().filter(s -> !delivered.contains(s)).toList();
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
