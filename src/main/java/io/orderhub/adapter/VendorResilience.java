package io.orderhub.adapter;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedTimeLimiterMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderhub.pipeline.PermanentFailure;
import io.orderhub.pipeline.RetryLater;
import io.orderhub.pipeline.TransientFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;

/**
 * The resilience policy of one vendor's outbound calls (Resilience4j): a circuit breaker that counts transient
 * failures (5xx, 408/425/429, time-outs, refused connections; a 4xx answer means the vendor is up), a time limiter
 * on each call, and a rate limiter for calls to that vendor. While the circuit is open or the rate limit is
 * reached, the call is not made and a {@link RetryLater} that costs no attempt parks the message on its queue;
 * so does the failure that opens the circuit, unless the vendor answered it with a 500 of its own while it answers
 * the adapter's health check (then the message is the likely cause and the attempt counts).
 * Retries are the error policy's (in-process backoff with jitter, then broker redelivery, Retry-After honoured).
 *
 * <p>Policy: {@code orderhub.resilience.defaults.*}, overridden per vendor by
 * {@code orderhub.resilience.vendors.<adapter id>.*} (see config/application.yaml).
 */
public final class VendorResilience {

    /** A health check's answer serves the failures of the next second too (they opened the circuit together). */
    private static final long HEALTH_CHECK_REUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String id;
    private final CircuitBreaker breaker;
    private final TimeLimiter timeLimiter;
    private final RateLimiter rateLimiter;
    private final Timer latency;
    private final Clock clock;
    private final Duration openWait;
    private volatile Instant lastSuccessAt;
    private volatile Instant lastFailureAt;
    private volatile String lastFailure;
    private volatile BooleanSupplier healthCheck;
    private boolean checked;
    private long checkedAt;
    private boolean checkAnswered;

    VendorResilience(String id, CircuitBreaker breaker, TimeLimiter timeLimiter, RateLimiter rateLimiter,
                     Timer latency, Clock clock, Duration openWait) {
        this.id = id;
        this.breaker = breaker;
        this.timeLimiter = timeLimiter;
        this.rateLimiter = rateLimiter;
        this.latency = latency;
        this.clock = clock;
        this.openWait = openWait;
    }

    /**
     * Runs one call to the vendor under the policy. {@code call} starts the request and returns its future.
     *
     * @throws RetryLater when the call was not made (circuit open, rate limit)
     */
    public <T> T call(String what, Supplier<CompletableFuture<T>> call) {
        if (!rateLimiter.acquirePermission()) {
            throw new RetryLater(what + " not sent: the rate limit for " + id + " is reached",
                    rateLimiter.getRateLimiterConfig().getLimitRefreshPeriod(), false);
        }
        if (!breaker.tryAcquirePermission()) {
            throw new RetryLater(what + " not sent: the circuit for " + id + " is " + breaker.getState()
                    + " after repeated failures", jittered(openWait), false);
        }
        long start = System.nanoTime();
        try {
            T result = timeLimiter.executeFutureSupplier(call::get);
            long took = System.nanoTime() - start;
            breaker.onSuccess(took, TimeUnit.NANOSECONDS);
            latency.record(took, TimeUnit.NANOSECONDS);
            lastSuccessAt = Instant.now(clock);
            return result;
        } catch (TimeoutException e) {
            throw failed(start, new TransientFailure(what + " timed out after "
                    + timeLimiter.getTimeLimiterConfig().getTimeoutDuration().toMillis() + " ms", e));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException r) {
                throw failed(start, r);
            }
            throw failed(start, new TransientFailure(what + " failed: " + cause, cause));
        } catch (RuntimeException e) {
            throw failed(start, e);
        } catch (Exception e) {
            throw failed(start, new TransientFailure(what + " failed: " + e, e));
        }
    }

    private RuntimeException failed(long start, RuntimeException failure) {
        long took = System.nanoTime() - start;
        latency.record(took, TimeUnit.NANOSECONDS);
        // the breaker's predicate counts transient failures; a permanent one (4xx) is a vendor that answered
        breaker.onError(took, TimeUnit.NANOSECONDS, failure);
        if (failure instanceof PermanentFailure) {
            lastSuccessAt = Instant.now(clock);
        } else {
            lastFailureAt = Instant.now(clock);
            lastFailure = failure.getMessage();
        }
        // the failure that opens the circuit, or a failed half-open trial: as a rule the vendor is down, not the
        // message at fault, so the message waits for the circuit like the ones not sent at all and spends no
        // attempt. Unless the vendor answered this message with an error of its own (a 500, not 502/503/504) while
        // it answers its health check: then the message is the likely cause (a poison alone at a quiet hour would
        // otherwise try every open period for ever), so the attempt counts and the message can become a dead letter
        if (failure instanceof TransientFailure transientFailure && !(failure instanceof RetryLater)
                && breaker.getState() == CircuitBreaker.State.OPEN) {
            if (answersOthers(transientFailure)) {
                return new RetryLater(failure.getMessage() + " (the circuit for " + id + " is now OPEN; " + id
                        + " answers its health check, so this attempt counts)", jittered(openWait), true, failure);
            }
            if (healthCheck == null && isOwnError(transientFailure.vendorStatus())) {
                // nothing to ask: free a bounded number of times (DeadLetters, max-free-vendor-errors)
                return new RetryLater(failure.getMessage() + " (the circuit for " + id + " is now OPEN; " + id
                        + " has no health check to tell whether it is down)", jittered(openWait), false, true,
                        failure);
            }
            return new RetryLater(failure.getMessage() + " (the circuit for " + id + " is now OPEN)",
                    jittered(openWait), false, failure);
        }
        return failure;
    }

    /**
     * The vendor's health check, asked when a message's own call failed and opened the circuit (see
     * {@link VendorAdapter#healthCall}); without one, such failures never count as attempts.
     */
    void checkHealthWith(BooleanSupplier check) {
        this.healthCheck = check;
    }

    /** A 5xx of the vendor's own (a 500, say), not one saying it or its gateway is unavailable (502, 503, 504). */
    private static boolean isOwnError(int status) {
        return status >= 500 && status != 502 && status != 503 && status != 504;
    }

    /** True when the vendor answered {@code failure} with an error of its own and answers its health check. */
    private boolean answersOthers(TransientFailure failure) {
        if (!isOwnError(failure.vendorStatus()) || healthCheck == null) {
            return false;
        }
        // failures that open the circuit together share one check
        synchronized (this) {
            long now = System.nanoTime();
            if (!checked || now - checkedAt > HEALTH_CHECK_REUSE_NANOS) {
                boolean answered;
                try {
                    answered = healthCheck.getAsBoolean();
                } catch (RuntimeException e) {
                    answered = false;
                }
                checkAnswered = answered;
                checked = true;
                checkedAt = System.nanoTime();
            }
            return checkAnswered;
        }
    }

    private static Duration jittered(Duration base) {
        long ms = Math.max(1, base.toMillis());
        return Duration.ofMillis(ms + ThreadLocalRandom.current().nextLong(Math.max(1, ms / 5)));
    }

    /** What the vendor health view shows. */
    public record Health(String circuit, float failureRate, float slowCallRate, int calls, double p50Ms, double p99Ms,
                         Instant lastSuccessAt, Instant lastFailureAt, String lastFailure) {
    }

    public Health health() {
        CircuitBreaker.Metrics m = breaker.getMetrics();
        var snapshot = latency.takeSnapshot();
        double p50 = -1;
        double p99 = -1;
        for (var v : snapshot.percentileValues()) {
            if (v.percentile() == 0.5) {
                p50 = v.value(TimeUnit.MILLISECONDS);
            } else if (v.percentile() == 0.99) {
                p99 = v.value(TimeUnit.MILLISECONDS);
            }
        }
        return new Health(breaker.getState().name(), m.getFailureRate(), m.getSlowCallRate(),
                m.getNumberOfBufferedCalls(), p50, p99, lastSuccessAt, lastFailureAt, lastFailure);
    }

    public CircuitBreaker.State state() {
        return breaker.getState();
    }

    /**
     * The registries every adapter's policy is made from, bound to the hub's metrics
     * ({@code resilience4j_circuitbreaker_state{name="<adapter>"}} and friends).
     */
    public static final class Factory {

        private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        private final TimeLimiterRegistry timeLimiters = TimeLimiterRegistry.ofDefaults();
        private final RateLimiterRegistry rateLimiters = RateLimiterRegistry.ofDefaults();
        private final Environment environment;
        private final MeterRegistry meters;
        private final Clock clock;

        public Factory(Environment environment, MeterRegistry meters, Clock clock) {
            this.environment = environment;
            this.meters = meters;
            this.clock = clock;
            TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
            TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(timeLimiters).bindTo(meters);
            TaggedRateLimiterMetrics.ofRateLimiterRegistry(rateLimiters).bindTo(meters);
        }

        /** Without the hub's metrics (offline adapter runs). */
        public static Factory standalone(Environment environment, Clock clock) {
            return new Factory(environment, new SimpleMeterRegistry(), clock);
        }

        VendorResilience create(String id, Duration descriptorTimeout) {
            Duration openWait = duration(id, "wait-in-open", "30s");
            CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.custom()
                    .failureRateThreshold(number(id, "failure-rate-threshold", "50"))
                    .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .slidingWindowSize((int) number(id, "sliding-window", "20"))
                    .minimumNumberOfCalls((int) number(id, "minimum-calls", "10"))
                    .waitDurationInOpenState(openWait)
                    .permittedNumberOfCallsInHalfOpenState((int) number(id, "half-open-calls", "3"))
                    .automaticTransitionFromOpenToHalfOpenEnabled(true)
                    .slowCallDurationThreshold(duration(id, "slow-call", "2s"))
                    .recordException(t -> t instanceof TransientFailure)
                    .build();
            // the vendor's own policy first, then the adapter descriptor's timeout, then the defaults
            String own = environment.getProperty("orderhub.resilience.vendors." + id + ".timeout");
            Duration timeout = own != null ? DurationStyle.detectAndParse(own)
                    : descriptorTimeout != null ? descriptorTimeout : duration(id, "timeout", "5s");
            TimeLimiterConfig limiterConfig = TimeLimiterConfig.custom().timeoutDuration(timeout)
                    .cancelRunningFuture(true).build();
            RateLimiterConfig rateConfig = RateLimiterConfig.custom()
                    .limitForPeriod((int) number(id, "rate-limit", "100"))
                    .limitRefreshPeriod(duration(id, "rate-period", "1s"))
                    .timeoutDuration(duration(id, "rate-wait", "2s"))
                    .build();
            Timer latency = Timer.builder("orderhub.vendor.calls").tag("adapter", id)
                    .description("Calls to the vendor's API, answered or failed")
                    .publishPercentiles(0.5, 0.99).register(meters);
            // a registry keeps the first instance per name: replacing keeps a restart of the registry honest
            breakers.remove(id);
            timeLimiters.remove(id);
            rateLimiters.remove(id);
            return new VendorResilience(id, breakers.circuitBreaker(id, breakerConfig),
                    timeLimiters.timeLimiter(id, limiterConfig), rateLimiters.rateLimiter(id, rateConfig), latency,
                    clock, openWait);
        }

        private String setting(String id, String name) {
            String own = environment.getProperty("orderhub.resilience.vendors." + id + "." + name);
            return own != null ? own : environment.getProperty("orderhub.resilience.defaults." + name);
        }

        private float number(String id, String name, String fallback) {
            String v = setting(id, name);
            return Float.parseFloat(v == null ? fallback : v);
        }

        private Duration duration(String id, String name, String fallback) {
            String v = setting(id, name);
            return DurationStyle.detectAndParse(v == null ? fallback : v);
        }
    }
}
