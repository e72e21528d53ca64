package io.orderhub.pipeline;

import io.orderhub.model.CanonicalOrder;

/**
 * Turns one source's payload into a canonical order. Each source (the own-channel API, each vendor adapter)
 * contributes one bean; the pipeline picks it by {@link #source()}, so shared code never names a vendor.
 * Throw {@link PermanentFailure} for payloads that cannot be mapped.
 */
public interface OrderTranslator {

    String source();

    CanonicalOrder translate(String payload, IntakeContext context);

    /** What the pipeline knows about a payload besides its bytes. */
    record IntakeContext(java.util.UUID orderId, String source, String clientId, String correlationId,
                         java.time.Instant receivedAt) {
    }
}
