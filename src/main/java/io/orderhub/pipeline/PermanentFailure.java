package io.orderhub.pipeline;

/**
 * A failure that no retry can fix (bad mapping, a vendor's 4xx, an impossible state): the message goes to its
 * stage's dead-letter queue at once, with this message as the reason.
 */
public class PermanentFailure extends RuntimeException {

    public PermanentFailure(String reason) {
        super(reason);
    }

    public PermanentFailure(String reason, Throwable cause) {
        super(reason, cause);
    }
}
