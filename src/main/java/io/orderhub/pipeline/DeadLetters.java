package io.orderhub.pipeline;

import io.orderhub.HubProperties;
import io.orderhub.intake.IntakeRecord.IntakeState;
import io.orderhub.intake.IntakeStore;
import io.orderhub.observability.HubMetrics;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The error policy's Java half (routes/error-policy.yaml decides when; this decides what is written):
 * a retried failure is recorded with its reason; a dead letter carries the original payload plus stage, reason,
 * attempts and first/last failure times, and an intake that dead-letters is marked FAILED with the same reason.
 */
@Component("deadLetters")
public class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final DeliveryFailures failures;
    private final IntakeStore intake;
    private final HubMetrics metrics;
    private final HubProperties hub;
    private final Clock clock;
    private final io.orderhub.adapter.VendorRefusals refusals;

    public DeadLetters(DeliveryFailures failures, IntakeStore intake, HubMetrics metrics, HubProperties hub,
                       Clock clock, io.orderhub.adapter.VendorRefusals refusals) {
        this.refusals = refusals;
        this.failures = failures;
        this.intake = intake;
        this.metrics = metrics;
        this.hub = hub;
        this.clock = clock;
    }

    /** A transient failure that the broker will redeliver: keep its reason and count. */
    public void recordRetry(Exchange exchange) {
        Message in = exchange.getMessage();
        Throwable cause = cause(exchange);
        int attempts = attempts(in);
        failures.record(messageKey(exchange), queue(exchange), attempts, reason(cause));
        metrics.retried(stage(exchange));
        log.warn("Stage {} failed on attempt {} of {}; the broker redelivers it: {}", stage(exchange), attempts,
                hub.reliability().maxDeliveryAttempts(), reason(cause));
    }

    /** Headers of the dead letter, on the original message (routes use useOriginalMessage). */
    public void prepare(Exchange exchange) {
        Message in = exchange.getMessage();
        Throwable cause = cause(exchange);
        String reason = reason(cause);
        int attempts = attempts(in);
        String queue = queue(exchange);
        // the retries so far (if any) give the first failure; this one is the last. The dead letter carries them
        // from here on, so the record is removed: a replay that fails again starts a fresh one
        Instant now = Instant.now(clock);
        Instant firstFailure = failures.take(messageKey(exchange)).map(DeliveryFailures.Failure::firstFailureAt)
                .orElse(now);
        in.setHeader(Headers.STAGE, stage(exchange));
        in.setHeader(Headers.DEAD_LETTER_REASON, reason);
        in.setHeader(Headers.DEAD_LETTER_ERROR, cause == null ? "unknown" : cause.getClass().getName());
        in.setHeader(Headers.DEAD_LETTER_ATTEMPTS, attempts);
        in.setHeader(Headers.DEAD_LETTER_FIRST_FAILURE, firstFailure.toString());
        in.setHeader(Headers.DEAD_LETTER_LAST_FAILURE, now.toString());
        in.setHeader(Headers.DEAD_LETTER_AT, now.toString());
        in.setHeader(Headers.DEAD_LETTER_ORIGINAL_QUEUE, queue);
        // a replay must not be mistaken by the broker for the message it replaces
        in.removeHeader(Headers.DUPLICATE_ID);
        String intakeId = in.getHeader(Headers.INTAKE_ID, String.class);
        if (intakeId != null && hub.queues().intake().equals(queue)) {
            intake.markOutcome(UUID.fromString(intakeId), IntakeState.FAILED, null, reason);
            refusals.unreadable(in.getHeader(Headers.SOURCE, String.class), in.getBody(String.class), reason,
                    intakeId);
        }
        metrics.deadLettered(stage(exchange));
        log.error("Dead-lettered from {} after {} attempt(s): {}", queue, attempts, reason);
    }

    public String destination(Exchange exchange) {
        return "jms:queue:" + hub.queues().deadLetterPrefix() + queue(exchange);
    }

    static Throwable cause(Exchange exchange) {
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return t != null ? t : exchange.getException();
    }

    static String reason(Throwable cause) {
        if (cause == null) {
            return "unknown failure";
        }
        String message = cause.getMessage();
        String kind = cause.getClass().getSimpleName();
        return message == null || message.isBlank() ? kind : kind + ": " + message;
    }

    static int attempts(Message in) {
        return in.getHeader("JMSXDeliveryCount", 1, Integer.class);
    }

    /** The queue the route consumes; if a failure came before the route said so, the JMS destination. */
    static String queue(Exchange exchange) {
        String queue = exchange.getProperty(Headers.QUEUE, String.class);
        if (queue == null) {
            Object destination = exchange.getMessage().getHeader("JMSDestination");
            if (destination instanceof jakarta.jms.Queue q) {
                try {
                    queue = q.getQueueName();
                } catch (jakarta.jms.JMSException e) {
                    queue = null;
                }
            }
        }
        return queue == null ? "unknown" : queue;
    }

    static String stage(Exchange exchange) {
        return exchange.getProperty(Headers.STAGE, "unknown", String.class);
    }

    static String messageKey(Exchange exchange) {
        Message in = exchange.getMessage();
        String id = in.getHeader(Headers.EVENT_ID, String.class);
        if (id == null) {
            id = in.getHeader(Headers.INTAKE_ID, String.class);
        }
        if (id == null) {
            id = in.getHeader("JMSMessageID", String.class);
        }
        return queue(exchange) + ":" + id;
    }
}
