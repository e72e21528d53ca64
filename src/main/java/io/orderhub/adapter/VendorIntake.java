package io.orderhub.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.database.Ids;
import io.orderhub.intake.IntakeRecord;
import io.orderhub.intake.IntakeStore;
import io.orderhub.observability.HubMetrics;
import io.orderhub.support.Text;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A vendor payload (a verified webhook, or one a poll fetched) committed to the intake under its event key, then
 * queued for the pipeline. The event key makes a vendor's retry the same intake: stored once, answered as success.
 */
@Component
public class VendorIntake {

    private static final Logger log = LoggerFactory.getLogger(VendorIntake.class);

    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final HubMetrics metrics;

    public VendorIntake(ProducerTemplate producer, ObjectMapper json, HubMetrics metrics) {
        this.producer = producer;
        this.json = json;
        this.metrics = metrics;
    }

    /**
     * Stores a vendor payload, or each event of a batched one ({@link VendorAdapter#split}).
     *
     * @return true when any of it is new, false when the hub already had every event
     */
    public boolean receive(Adapter adapter, String payload, Function<String, String> header, String contentType,
                           String correlationId) {
        List<String> parts;
        try {
            parts = adapter.vendor().split(payload, adapter.context());
        } catch (RuntimeException unreadable) {
            // kept whole: the pipeline dead-letters it with the translator's reason
            parts = List.of(payload);
        }
        if (parts == null || parts.isEmpty()) {
            parts = List.of(payload);
        }
        boolean fresh = false;
        for (String part : parts) {
            fresh |= receiveOne(adapter, part, header, contentType, correlationId);
        }
        return fresh;
    }

    private boolean receiveOne(Adapter adapter, String payload, Function<String, String> header, String contentType,
                               String correlationId) {
        String fingerprint = sha256(payload.getBytes(StandardCharsets.UTF_8));
        String eventKey;
        try {
            eventKey = adapter.vendor().eventKey(new VendorAdapter.Webhook(payload, parse(payload), header))
                    .map(k -> "event:" + k).orElse("sha256:" + fingerprint);
        } catch (RuntimeException e) {
            // a payload the adapter cannot read is kept all the same; the pipeline dead-letters it with a reason
            eventKey = "sha256:" + fingerprint;
        }
        eventKey = Text.clip(eventKey, 255);
        IntakeRecord candidate = new IntakeRecord(Ids.next(), adapter.id(), "adapter:" + adapter.id(), eventKey,
                fingerprint, adapter.id() + ":" + eventKey, null, adapter.descriptor().channel(),
                Text.clip(contentType, 100), payload, IntakeRecord.IntakeState.RECEIVED, null, null,
                correlationId == null ? UUID.randomUUID().toString() : correlationId, null, null);
        IntakeStore.Outcome outcome = producer.requestBody("direct:intake-receive", candidate,
                IntakeStore.Outcome.class);
        if (outcome instanceof IntakeStore.Fresh) {
            return true;
        }
        metrics.webhookReplayed(adapter.id());
        log.info("{} event {} is a retry of intake {}: answered as success", adapter.id(), eventKey,
                outcome.record().id());
        return false;
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    static String sha256(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
