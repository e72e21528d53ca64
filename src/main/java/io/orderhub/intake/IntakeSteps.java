package io.orderhub.intake;

import io.orderhub.HubProperties;
import io.orderhub.observability.HubMetrics;
import io.orderhub.pipeline.Headers;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/** The Java behind routes/intake.yaml: store the raw payload durably, then hand it to the pipeline queue. */
@Component("intake")
public class IntakeSteps {

    public static final String OUTCOME = "orderhubIntakeOutcome";
    public static final String FRESH = "orderhubIntakeFresh";

    private final IntakeStore store;
    private final HubMetrics metrics;
    private final HubProperties hub;
    private final Clock clock;

    public IntakeSteps(IntakeStore store, HubMetrics metrics, HubProperties hub, Clock clock) {
        this.store = store;
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

    /** Intakes still RECEIVED long after arrival: a crash came between the commit and the queue. */
    public List<IntakeRecord> stranded() {
        HubProperties.Intake cfg = hub.intake();
        return store.stillReceived(Instant.now(clock).minus(cfg.recoveryAge()), cfg.recoveryBatch());
    }

    /** Body in: a stranded {@link IntakeRecord}; out: its queue message again, with the same duplicate id. */
    public void requeue(Exchange exchange) {
        asQueueMessage(exchange.getMessage(), exchange.getMessage().getBody(IntakeRecord.class));
    }
}
