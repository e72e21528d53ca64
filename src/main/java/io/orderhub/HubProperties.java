package io.orderhub;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** Every tunable of the hub, bound from config/application.yaml (prefix {@code orderhub}). */
@ConfigurationProperties("orderhub")
public record HubProperties(
        Path dataDir,
        Path menusDir,
        Queues queues,
        List<String> stages,
        Reliability reliability,
        Intake intake,
        Api api,
        Outbox outbox,
        Demo demo) {

    /** {@code kdsWebhooks}: the queue of outbound KDS webhooks (one message per event and display). */
    public record Queues(String intake, String stagePrefix, String deadLetterPrefix, String kdsWebhooks) {
    }

    /**
     * One retry policy for every stage. In-process retries cover short blips; broker redelivery (which survives
     * restarts) covers longer ones; after {@code maxDeliveryAttempts} the message goes to its stage's dead-letter queue
     * with the reason. {@code maxFreeVendorErrors}: how many times a message may wait for free after its own call got
     * a 500 that opened its vendor's circuit when the vendor has no health check to say whether it is up; after that
     * such failures count as attempts (a poison to such a vendor at a quiet hour would otherwise wait for ever).
     */
    public record Reliability(
            int maxDeliveryAttempts,
            Duration redeliveryDelay,
            double redeliveryMultiplier,
            Duration maxRedeliveryDelay,
            double redeliveryJitter,
            int inProcessRetries,
            long inProcessDelayMs,
            int duplicateIdCacheSize,
            int maxFreeVendorErrors) {
    }

    public record Intake(Duration recoveryAge, int recoveryBatch, int maxRequeues) {
    }

    public record Outbox(Duration relayAge, int relayBatch) {
    }

    public record Api(DataSize maxBodySize, int maxJsonDepth, int maxPageSize) {
    }

    public record Demo(boolean enabled, String clientId, String apiKey, List<String> locations, String brandId) {
    }
}
