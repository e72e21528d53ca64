package io.orderhub.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/** The hub's own business metrics, exported at /actuator/prometheus as orderhub_*. */
@Component("hubMetrics")
public class HubMetrics {

    private final MeterRegistry registry;
    private final Timer ack;

    public HubMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.ack = Timer.builder("orderhub.intake.ack").description("Time from request to acknowledgement")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram().register(registry);
    }

    public void received(String source) {
        counter("orderhub.orders.received", "source", source).increment();
    }

    public void accepted(String source) {
        counter("orderhub.orders.accepted", "source", source).increment();
    }

    public void rejected(String source) {
        counter("orderhub.orders.rejected", "source", source).increment();
    }

    /** A vendor payload that was not a new order: a status update applied, or an event kept without action. */
    public void processed(String source) {
        counter("orderhub.orders.processed", "source", source).increment();
    }

    public void duplicate(String source) {
        counter("orderhub.orders.duplicates", "source", source).increment();
    }

    /** A new order's creation event published to this stage (the stages it concerns). */
    public void routed(String stage) {
        counter("orderhub.orders.routed", "stage", stage).increment();
    }

    /** A stage recorded an event the first time; {@code event} is its type (order.created, order.status_changed). */
    public void delivered(String stage, String event) {
        counter("orderhub.stage.delivered", "stage", stage, "event", event == null ? "unknown" : event).increment();
    }

    public void retried(String stage) {
        counter("orderhub.stage.retried", "stage", stage).increment();
    }

    /** A message sent back to its queue to wait for its vendor (circuit open, rate limit, Retry-After). */
    public void parked(String stage) {
        counter("orderhub.stage.parked", "stage", stage).increment();
    }

    public void deadLettered(String stage) {
        counter("orderhub.stage.dead_lettered", "stage", stage).increment();
    }

    /** A webhook whose signature did not verify (or whose adapter has no secret): answered 401, nothing stored. */
    public void webhookRefused(String adapter) {
        counter("orderhub.webhooks.refused", "adapter", adapter).increment();
    }

    /** A vendor's retry of a webhook the hub already stored: answered as success, not stored again. */
    public void webhookReplayed(String adapter) {
        counter("orderhub.webhooks.replayed", "adapter", adapter).increment();
    }

    public void ackLatency(Duration d) {
        ack.record(d);
    }

    private final java.util.Map<String, Counter> counters = new java.util.concurrent.ConcurrentHashMap<>();

    private Counter counter(String name, String tag, String value) {
        String v = value == null ? "unknown" : value;
        return counters.computeIfAbsent(name + '|' + v, k -> Counter.builder(name).tag(tag, v).register(registry));
    }

    private Counter counter(String name, String tag, String value, String tag2, String value2) {
        String v = value == null ? "unknown" : value;
        return counters.computeIfAbsent(name + '|' + v + '|' + value2,
                k -> Counter.builder(name).tag(tag, v).tag(tag2, value2).register(registry));
    }
}
