package io.orderhub.pipeline;

/**
 * A failure that a later attempt may not meet (a vendor's 5xx or 429, a timeout, a refused connection): the error
 * policy retries it in process, then through broker redelivery, and dead-letters it only after the last attempt.
 */
public class TransientFailure extends RuntimeException {

    public TransientFailure(String reason) {
        super(reason);
    }

    public TransientFailure(String reason, Throwable cause) {
        super(reason, cause);
    }
}
