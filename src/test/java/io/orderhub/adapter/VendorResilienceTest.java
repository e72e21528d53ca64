package io.orderhub.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderhub.pipeline.PermanentFailure;
import io.orderhub.pipeline.RetryLater;
import io.orderhub.pipeline.TransientFailure;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The per-vendor policy on its own: rate limit, circuit breaker, time limiter, and what costs an attempt. */
class VendorResilienceTest {

    private final AtomicInteger made = new AtomicInteger();

    private VendorResilience policy(String... settings) {
        MockEnvironment env = new MockEnvironment();
        for (int i = 0; i < settings.length; i += 2) {
            env.setProperty("orderhub.resilience.vendors.pos." + settings[i], settings[i + 1]);
        }
        return VendorResilience.Factory.standalone(env, Clock.systemUTC()).create("pos", null);
    }

    private CompletableFuture<String> answer(String body) {
        made.incrementAndGet();
        return CompletableFuture.completedFuture(body);
    }

    private CompletableFuture<String> fail(RuntimeException e) {
        made.incrementAndGet();
        return CompletableFuture.failedFuture(e);
    }

    @Test
    void beyondTheRateLimitTheCallIsNotMadeAndCostsNoAttempt() {
        VendorResilience p = policy("rate-limit", "2", "rate-period", "1m", "rate-wait", "0s");
        assertThat(p.call("a", () -> answer("1"))).isEqualTo("1");
        assertThat(p.call("b", () -> answer("2"))).isEqualTo("2");
        assertThatThrownBy(() -> p.call("c", () -> answer("3"))).isInstanceOfSatisfying(RetryLater.class, e -> {
            assertThat(e.countsAsAttempt()).isFalse();
            assertThat(e.getMessage()).contains("rate limit");
        });
        assertThat(made).hasValue(2);
    }

    @Test
    void transientFailuresOpenTheCircuitAndThenNoCallIsMadeUntilItHalfOpens() {
        VendorResilience p = policy("minimum-calls", "3", "sliding-window", "3", "wait-in-open", "1m");
        assertThatThrownBy(() -> p.call("a", () -> fail(new TransientFailure("503"))))
                .isExactlyInstanceOf(TransientFailure.class);
        assertThatThrownBy(() -> p.call("b", () -> fail(new TransientFailure("503"))))
                .isExactlyInstanceOf(TransientFailure.class);
        // the third failure opens the circuit: the vendor is down, this message waits without spending an attempt
        assertThatThrownBy(() -> p.call("c", () -> fail(new TransientFailure("503"))))
                .isInstanceOfSatisfying(RetryLater.class, e -> {
                    assertThat(e.countsAsAttempt()).isFalse();
                    assertThat(e.waitFor()).isGreaterThanOrEqualTo(Duration.ofMinutes(1));
                });
        assertThat(p.state().name()).isEqualTo("OPEN");
        assertThatThrownBy(() -> p.call("d", () -> answer("x"))).isInstanceOfSatisfying(RetryLater.class,
                e -> assertThat(e.countsAsAttempt()).isFalse());
        assertThat(made).hasValue(3);
        assertThat(p.health().lastFailure()).contains("503");
    }

    /** Fails twice with {@code status}, then once more, which opens the circuit; returns that third failure. */
    private VendorResilience policyDownWithCheck() {
        VendorResilience p = policy("minimum-calls", "3", "sliding-window", "3", "wait-in-open", "1m");
        p.checkHealthWith(() -> false);
        return p;
    }

    private RetryLater openingFailure(VendorResilience p, int status) {
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> p.call("a", () -> fail(new TransientFailure("answered " + status, status))))
                    .isExactlyInstanceOf(TransientFailure.class);
        }
        try {
            p.call("c", () -> fail(new TransientFailure("answered " + status, status)));
        } catch (RetryLater e) {
            assertThat(p.state().name()).isEqualTo("OPEN");
            return e;
        }
        throw new AssertionError("the third failure did not open the circuit");
    }

    @Test
    void aFiveHundredThatOpensTheCircuitCountsAsAnAttemptWhenTheVendorAnswersItsHealthCheck() {
        VendorResilience p = policy("minimum-calls", "3", "sliding-window", "3", "wait-in-open", "1m");
        AtomicInteger checks = new AtomicInteger();
        p.checkHealthWith(() -> checks.incrementAndGet() > 0);
        RetryLater e = openingFailure(p, 500);
        // the vendor is up and refused this message: a poison alone at a quiet hour must still run out of attempts
        assertThat(e.countsAsAttempt()).isTrue();
        assertThat(e.getMessage()).contains("answered 500").contains("answers its health check");
        assertThat(e.waitFor()).isGreaterThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(checks).hasValue(1);
    }

    @Test
    void aFailureThatOpensTheCircuitCostsNoAttemptWhenTheVendorIsDownOrSaysItIsUnavailable() {
        // the health check fails too: the vendor is down, not the message at fault
        VendorResilience down = policy("minimum-calls", "3", "sliding-window", "3", "wait-in-open", "1m");
        down.checkHealthWith(() -> false);
        assertThat(openingFailure(down, 500).countsAsAttempt()).isFalse();
        // 502, 503 and 504 say the vendor (or its gateway) is unavailable, whatever its health check answers
        for (int status : new int[] {502, 503, 504}) {
            VendorResilience unavailable = policy("minimum-calls", "3", "sliding-window", "3", "wait-in-open", "1m");
            AtomicInteger checks = new AtomicInteger();
            unavailable.checkHealthWith(() -> checks.incrementAndGet() > 0);
            assertThat(openingFailure(unavailable, status).countsAsAttempt()).as("status %d", status).isFalse();
            assertThat(checks).as("health checks for %d", status).hasValue(0);
        }
        // no health check (an adapter without one): free, but marked as a 500 nothing could explain, which
        // DeadLetters frees only max-free-vendor-errors times (DeadLettersTest); a 503 there is plainly free
        VendorResilience unchecked = policy("minimum-calls", "3", "sliding-window", "3", "wait-in-open", "1m");
        RetryLater unexplained = openingFailure(unchecked, 500);
        assertThat(unexplained.countsAsAttempt()).isFalse();
        assertThat(unexplained.unconfirmedVendorError()).isTrue();
        assertThat(unexplained.getMessage()).contains("has no health check");
        VendorResilience uncheckedDown = policy("minimum-calls", "3", "sliding-window", "3", "wait-in-open", "1m");
        assertThat(openingFailure(uncheckedDown, 503).unconfirmedVendorError()).isFalse();
        // with a health check that fails, the vendor is down: free, and not marked
        assertThat(openingFailure(policyDownWithCheck(), 500).unconfirmedVendorError()).isFalse();
        // a health check that throws counts as not answering
        VendorResilience broken = policy("minimum-calls", "3", "sliding-window", "3", "wait-in-open", "1m");
        broken.checkHealthWith(() -> {
            throw new IllegalStateException("no token");
        });
        assertThat(openingFailure(broken, 500).countsAsAttempt()).isFalse();
    }

    @Test
    void aVendorThatAnswersFourHundredsIsUpAndKeepsItsCircuitClosed() {
        VendorResilience p = policy("minimum-calls", "2", "sliding-window", "2");
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> p.call("bad", () -> fail(new PermanentFailure("400 INVALID_PHONE_NUMBER"))))
                    .isExactlyInstanceOf(PermanentFailure.class);
        }
        assertThat(p.state().name()).isEqualTo("CLOSED");
        assertThat(p.health().failureRate()).isLessThanOrEqualTo(0f);
    }

    @Test
    void aCallThatDoesNotAnswerInTimeIsATransientFailure() {
        VendorResilience p = policy("timeout", "100ms");
        assertThatThrownBy(() -> p.call("slow", () -> {
            made.incrementAndGet();
            return new CompletableFuture<String>();
        })).isExactlyInstanceOf(TransientFailure.class).hasMessageContaining("timed out after 100 ms");
    }
}
