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
    private final boolean unconfirmedVendorError;

    public RetryLater(String reason, Duration waitFor, boolean countsAsAttempt) {
        super(reason);
        this.waitFor = waitFor;
        this.countsAsAttempt = countsAsAttempt;
        this.unconfirmedVendorError = false;
    }

    public RetryLater(String reason, Duration waitFor, boolean countsAsAttempt, Throwable cause) {
        this(reason, waitFor, countsAsAttempt, false, cause);
    }

    /**
     * @param unconfirmedVendorError the message's own call got a 500 that opened the circuit and the vendor has no
     *                               health check to tell whether it is down: free only a bounded number of times
     *                               ({@code orderhub.reliability.max-free-vendor-errors}, DeadLetters)
     */
    public RetryLater(String reason, Duration waitFor, boolean countsAsAttempt, boolean unconfirmedVendorError,
                      Throwable cause) {
        super(reason, cause);
        this.waitFor = waitFor;
        this.countsAsAttempt = countsAsAttempt;
        this.unconfirmedVendorError = unconfirmedVendorError;
    }

    public Duration waitFor() {
        return waitFor;
    }

    /** False when the vendor was not even called (circuit open, rate limit): the wait costs no attempt. */
    public boolean countsAsAttempt() {
        return countsAsAttempt;
    }

    /** The message's own call got a 500 that no health check could put on the vendor or on the message. */
    public boolean unconfirmedVendorError() {
        return unconfirmedVendorError;
    }
}
