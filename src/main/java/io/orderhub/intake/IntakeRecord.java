package io.orderhub.intake;

import java.time.Instant;
import java.util.UUID;

/** One inbound payload, as stored before its sender got an answer. */
public record IntakeRecord(
        UUID id,
        String source,
        String clientId,
        String idempotencyKey,
        String fingerprint,
        String businessKey,
        String locationId,
        String channel,
        String contentType,
        String payload,
        IntakeState state,
        String reason,
        UUID orderId,
        String correlationId,
        Instant receivedAt,
        Instant processedAt) {

    public enum IntakeState {
        /** Stored and queued; the pipeline has not finished with it yet. */
        RECEIVED,
        /** Became a canonical order. */
        ACCEPTED,
        /** Same business key as an order the hub already has; points to that order. */
        DUPLICATE,
        /** Failed validation against the menu; the reason says why. */
        REJECTED,
        /** Needed nothing from the hub (a vendor event it does not act on, a status update applied); reason says which. */
        PROCESSED,
        /** Could not be translated or processed; it sits in a dead-letter queue with the same reason. */
        FAILED
    }
}
