package io.orderhub.intake;

import io.orderhub.HubProperties;
import io.orderhub.observability.HubMetrics;
import io.orderhub.pipeline.Headers;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/** The Java behind routes/intake.yaml: store the raw payload durably, then hand it to the pipeline queue. */
@Component("intake")
public class IntakeSteps {

    private static final Logger log = LoggerFactory.getLogger(IntakeSteps.class);

    public static final String OUTCOME = "orderhubIntakeOutcome";
    public static final String FRESH = "orderhubIntakeFresh";

    private final IntakeStore store;
    private final HubMetrics metrics;
    private final HubProperties hub;
    private final Clock clock;
    private final LongSupplier queueDepth;

    public IntakeSteps(IntakeStore store, HubMetrics metrics, HubProperties hub, Clock clock,
                       ObjectProvider<EmbeddedActiveMQ> broker) {
        this.store = store;
        this.queueDepth = () -> {
            EmbeddedActiveMQ embedded = broker.getIfAvailable();
            if (embedded == null || embedded.getActiveMQServer() == null) {
                return 0;
            }
            Queue queue = embedded.getActiveMQServer().locateQueue(SimpleString.of(hub.queues().intake()));
            // messages waiting for a redelivery delay or parked for their vendor (scheduled) are not a backlog:
            // counting them would hold recovery back for as long as any message is being retried
            return queue == null ? 0 : Math.max(0, queue.getMessageCount() - queue.getScheduledCount());
        };
        this.metrics = metrics;
        this.hub = hub;
        this.clock = clock;
    }

    /** Body in: an {@link IntakeRecord} candidate. Commits it, then puts the payload and its headers on the message. */
    public void store(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        IntakeRecord candidate = exchange.getMessage().getMandatoryBody(IntakeRecord.class);
        IntakeStore.Outcome outcome = store.receive(candidate);
        exchange.setProperty(OUTCOME, outcome);
        boolean fresh = outcome instanceof IntakeStore.Fresh;
        exchange.setProperty(FRESH, fresh);
        if (fresh) {
            metrics.received(candidate.source());
        }
        asQueueMessage(exchange.getMessage(), outcome.record());
    }

    /** The message the pipeline consumes: the stored payload plus what the pipeline needs to know about it. */
    public static void asQueueMessage(Message message, IntakeRecord record) {
        message.getHeaders().clear();
        message.setHeader(Headers.INTAKE_ID, record.id().toString());
        message.setHeader(Headers.SOURCE, record.source());
        if (record.clientId() != null) {
            message.setHeader(Headers.CLIENT_ID, record.clientId());
        }
        message.setHeader(Headers.BUSINESS_KEY, record.businessKey());
        message.setHeader(Headers.CORRELATION_ID, record.correlationId());
        message.setHeader(Headers.RECEIVED_AT, record.receivedAt().toString());
        message.setHeader(Headers.DUPLICATE_ID, "intake:" + record.id());
        message.setBody(record.payload());
    }

    public IntakeStore.Outcome outcome(Exchange exchange) {
        return exchange.getProperty(OUTCOME, IntakeStore.Outcome.class);
    }

    /**
     * Intakes still RECEIVED long after arrival: a crash came between the commit and the queue. Only looked for
     * while the intake queue has no backlog (messages ready for delivery; ones waiting for a redelivery are not a
     * backlog), since an intake waiting in a backlog is not stranded.
     */
    public List<IntakeRecord> stranded() {
        HubProperties.Intake cfg = hub.intake();
        if (queueDepth.getAsLong() > 0) {
            return List.of();
        }
        Instant olderThan = Instant.now(clock).minus(cfg.recoveryAge());
        int failed = store.failStranded(olderThan, cfg.maxRequeues());
        if (failed > 0) {
            log.error(
                    "{} intake(s) re-queued {} times without an outcome are now marked failed", failed,
                    cfg.maxRequeues());
        }
        return store.stillReceived(olderThan, cfg.maxRequeues(), cfg.recoveryBatch());
    }

    /** Body in: a stranded {@link IntakeRecord}; out: its queue message again, with the same duplicate id. */
    public void requeue(Exchange exchange) {
        IntakeRecord record = exchange.getMessage().getBody(IntakeRecord.class);
        store.countRequeue(record.id());
        asQueueMessage(exchange.getMessage(), record);
    }
}
