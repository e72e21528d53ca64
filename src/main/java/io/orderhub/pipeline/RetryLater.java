package io.orderhub.pipeline;

import java.time.Duration;

/**
 * A transient failure that should not be retried before a given time (a vendor's Retry-After longer than the
 * in-process wait, an open circuit, a rate limit). The error policy parks the message on its own queue with a
 * scheduled delivery instead of holding a consumer; see {@link DeadLetters#park}.
 */
public class RetryLater extends TransientFailure {

    private final Duration waitFor;
    private final boolean countsAsAttempt;

    public RetryLater(String reason, Duration waitFor, boolean countsAsAttempt) {
        super(reason);
        this.waitFor = waitFor;
        this.countsAsAttempt = countsAsAttempt;
    }

    public RetryLater(String reason, Duration waitFor, boolean countsAsAttempt, Throwable cause) {
        super(reason, cause);
        this.waitFor = waitFor;
        this.countsAsAttempt = countsAsAttempt;
    }

    public Duration waitFor() {
        return waitFor;
    }

    /** False when the vendor was not even called (circuit open, rate limit): the wait costs no attempt. */
    public boolean countsAsAttempt() {
        return countsAsAttempt;
    }
}
