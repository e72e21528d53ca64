package io.orderhub.pipeline;

/**
 * A failure that a later attempt may not meet (a vendor's 5xx or 429, a timeout, a refused connection): the error
 * policy retries it in process, then through broker redelivery, and dead-letters it only after the last attempt.
 */
public class TransientFailure extends RuntimeException {

    private final int vendorStatus;

    public TransientFailure(String reason) {
        this(reason, 0);
    }

    /** A vendor's answer with this HTTP status (0: no answer, such as a timeout or a refused connection). */
    public TransientFailure(String reason, int vendorStatus) {
        super(reason);
        this.vendorStatus = vendorStatus;
    }

    public TransientFailure(String reason, Throwable cause) {
        super(reason, cause);
        this.vendorStatus = 0;
    }

    /** The HTTP status the vendor answered with, or 0 when it did not answer. */
    public int vendorStatus() {
        return vendorStatus;
    }
}
