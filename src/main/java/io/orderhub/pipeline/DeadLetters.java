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
    private final io.orderhub.console.DeadLetterStore store;
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    public DeadLetters(DeliveryFailures failures, IntakeStore intake, HubMetrics metrics, HubProperties hub,
                       Clock clock, io.orderhub.adapter.VendorRefusals refusals,
                       io.orderhub.console.DeadLetterStore store, com.fasterxml.jackson.databind.ObjectMapper json) {
        this.refusals = refusals;
        this.store = store;
        this.json = json;
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
        in.removeHeader(Headers.SCHEDULED_DELIVERY);
        String intakeId = in.getHeader(Headers.INTAKE_ID, String.class);
        // indexed for the console (list, filter, replay); the broker's DLQ keeps the message itself
        java.util.UUID deadLetterId = store.record(describe(exchange, queue, cause, reason, attempts, firstFailure,
                now, intakeId));
        in.setHeader(Headers.DEAD_LETTER_ID, deadLetterId.toString());
        if (intakeId != null && hub.queues().intake().equals(queue)) {
            intake.markOutcome(UUID.fromString(intakeId), IntakeState.FAILED, null, reason);
            refusals.unreadable(in.getHeader(Headers.SOURCE, String.class), in.getBody(String.class), reason,
                    intakeId);
        }
        metrics.deadLettered(stage(exchange));
        log.error("Dead-lettered from {} after {} attempt(s): {}", queue, attempts, reason);
    }

    /**
     * A message that must wait for its vendor (circuit open, rate limit, a long Retry-After) goes back to its own
     * queue as a new message, delivered later by the broker: the consumer is free meanwhile and, when the vendor
     * was not even called, the wait does not count as an attempt.
     */
    public void park(Exchange exchange) {
        Message in = exchange.getMessage();
        RetryLater later = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RetryLater.class);
        java.time.Duration wait = later == null ? java.time.Duration.ofSeconds(1) : later.waitFor();
        boolean counts = later != null && counts(in, later);
        int spent = attempts(in) - (counts ? 0 : 1);
        if (later != null && later.unconfirmedVendorError() && !counts) {
            in.setHeader(Headers.FREE_VENDOR_ERRORS, freeVendorErrors(in) + 1);
        }
        in.setHeader(Headers.PRIOR_ATTEMPTS, spent);
        in.setHeader(Headers.SCHEDULED_DELIVERY, Instant.now(clock).plus(wait).toEpochMilli());
        in.removeHeader(Headers.DUPLICATE_ID);
        metrics.parked(stage(exchange));
        if (counts) {
            // the attempts spent so far (attempts(in) would now add this copy's delivery to them again)
            failures.record(messageKey(exchange), queue(exchange), spent, reason(later));
        }
        log.warn("Stage {} waits {} for its vendor ({} attempt(s) spent): {}", stage(exchange), wait, spent,
                later == null ? "?" : later.getMessage());
    }

    /** True when this failure, counted as an attempt, is the message's last allowed one. */
    public boolean exhausted(Exchange exchange) {
        RetryLater later = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RetryLater.class);
        if (later != null && !counts(exchange.getMessage(), later)) {
            return false;
        }
        return attempts(exchange.getMessage()) >= hub.reliability().maxDeliveryAttempts();
    }

    /**
     * Whether a wait for the vendor spends an attempt: when the vendor was called and said so (Retry-After, a 500 it
     * answers its health check around), or when the message's own 500s, which no health check could explain, have
     * already had their {@code max-free-vendor-errors} free waits. A wait with nothing against the message (circuit
     * open, rate limit, the vendor down or unavailable) is free.
     */
    private boolean counts(Message in, RetryLater later) {
        if (later.countsAsAttempt()) {
            return true;
        }
        return later.unconfirmedVendorError() && freeVendorErrors(in) >= hub.reliability().maxFreeVendorErrors();
    }

    private static int freeVendorErrors(Message in) {
        return in.getHeader(Headers.FREE_VENDOR_ERRORS, 0, Integer.class);
    }

    public String ownQueue(Exchange exchange) {
        return "jms:queue:" + queue(exchange);
    }

    private io.orderhub.console.DeadLetterStore.Failed describe(Exchange exchange, String queue, Throwable cause,
                                                                String reason, int attempts, Instant first,
                                                                Instant last, String intakeId) {
        Message in = exchange.getMessage();
        String body = in.getBody(String.class);
        String source = in.getHeader(Headers.SOURCE, String.class);
        String location = null;
        java.util.UUID orderId = null;
        String orderIdHeader = in.getHeader(Headers.ORDER_ID, String.class);
        try {
            if (orderIdHeader != null) {
                orderId = java.util.UUID.fromString(orderIdHeader);
            }
        } catch (IllegalArgumentException ignored) {
            orderId = null;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode order = body == null ? null : json.readTree(body).path("order");
            if (order != null && order.isObject()) {
                source = source != null ? source : order.path("source").asText(null);
                location = order.path("locationId").asText(null);
            }
        } catch (java.io.IOException | RuntimeException notJson) {
            // an unreadable payload is exactly what a dead letter may hold: keep it as it is
        }
        if (location == null && intakeId != null) {
            try {
                location = intake.find(java.util.UUID.fromString(intakeId)).map(r -> r.locationId()).orElse(null);
            } catch (IllegalArgumentException ignored) {
                location = null;
            }
        }
        java.util.Map<String, Object> headers = new java.util.TreeMap<>();
        in.getHeaders().forEach((k, v) -> {
            if (k.startsWith("orderhub") && !k.startsWith("orderhubDeadLetter") && v != null) {
                headers.put(k, v.toString());
            }
        });
        String headerJson;
        try {
            headerJson = json.writeValueAsString(headers);
        } catch (java.io.IOException e) {
            headerJson = "{}";
        }
        return new io.orderhub.console.DeadLetterStore.Failed(messageKey(exchange), queue, stage(exchange), source,
                location, orderId, in.getHeader(Headers.EVENT_TYPE, String.class),
                cause == null ? "unknown" : cause.getClass().getName(), reason, attempts, first, last,
                in.getHeader("Content-Type", "application/json", String.class), headerJson,
                io.orderhub.security.CardNumberMasker.mask(body == null ? "" : body));
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

    /** Deliveries of this message plus the attempts it had spent before it was parked. */
    static int attempts(Message in) {
        return in.getHeader("JMSXDeliveryCount", 1, Integer.class) + in.getHeader(Headers.PRIOR_ATTEMPTS, 0,
                Integer.class);
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
