package io.orderhub.pipeline;

/** Message headers the hub sets (JMS property names, so Java identifiers). Inbound {@code Camel*} headers never get this far. */
public final class Headers {

    public static final String INTAKE_ID = "orderhubIntakeId";
    public static final String SOURCE = "orderhubSource";
    public static final String CLIENT_ID = "orderhubClientId";
    public static final String BUSINESS_KEY = "orderhubBusinessKey";
    public static final String CORRELATION_ID = "orderhubCorrelationId";
    public static final String RECEIVED_AT = "orderhubReceivedAt";
    public static final String ORDER_ID = "orderhubOrderId";
    public static final String EVENT_ID = "orderhubEventId";
    public static final String EVENT_TYPE = "orderhubEventType";
    /** The stages an order event is published to, comma-separated (the ones it concerns). */
    public static final String STAGES = "orderhubStages";
    /** Exchange properties (not sent on the wire): the stage and queue the current route consumes. */
    public static final String STAGE = "orderhubStage";
    public static final String QUEUE = "orderhubQueue";
    /** Artemis duplicate detection: a second send with the same id to the same address is dropped by the broker. */
    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    /** The console's id of a dead letter (row of dead_letter). */
    public static final String DEAD_LETTER_ID = "orderhubDeadLetterId";
    /** Attempts a message spent before it was parked to wait for its vendor (they still count). */
    public static final String PRIOR_ATTEMPTS = "orderhubPriorAttempts";
    /** Free waits a message already had after 500s no vendor health check could explain (DeadLetters). */
    public static final String FREE_VENDOR_ERRORS = "orderhubFreeVendorErrors";
    /** Artemis: deliver the message no earlier than this epoch millisecond. */
    public static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";
    /** Set on a message an operator replayed: who did it. */
    public static final String REPLAYED_BY = "orderhubReplayedBy";
    public static final String DEAD_LETTER_REASON = "orderhubDeadLetterReason";
    public static final String DEAD_LETTER_ERROR = "orderhubDeadLetterError";
    public static final String DEAD_LETTER_ATTEMPTS = "orderhubDeadLetterAttempts";
    public static final String DEAD_LETTER_FIRST_FAILURE = "orderhubDeadLetterFirstFailureAt";
    public static final String DEAD_LETTER_LAST_FAILURE = "orderhubDeadLetterLastFailureAt";
    public static final String DEAD_LETTER_AT = "orderhubDeadLetteredAt";
    public static final String DEAD_LETTER_ORIGINAL_QUEUE = "orderhubDeadLetterQueue";

    private Headers() {
    }
}
