package io.orderhub.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.intake.IntakeRecord;
import io.orderhub.intake.IntakeStore;
import io.orderhub.observability.HubMetrics;
import io.orderhub.signature.SignatureScheme;
import io.orderhub.support.Text;
import io.orderhub.web.CorrelationFilter;
import io.orderhub.web.ProblemHandler.ApiProblem;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Every vendor's webhooks arrive here: {@code POST /webhooks/<adapter id>}. The signature is verified with the
 * adapter's scheme (401 and nothing stored when it fails), the raw payload is committed with its event key, and only
 * then is the vendor answered, with the answer its descriptor names. A retry of an event the hub already has gets the
 * same answer: for the vendor it succeeded. A payload that cannot be understood is stored all the same, and fails in
 * the pipeline with its reason (dead letter), where an operator sees it.
 */
@Hidden
@RestController
public class WebhookController {

    private static final Logger log = LoggerFactory.getLogger(WebhookController.class);

    private final AdapterRegistry adapters;
    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final HubMetrics metrics;
    private final Clock clock;

    public WebhookController(AdapterRegistry adapters, ProducerTemplate producer, ObjectMapper json, HubMetrics metrics,
                             Clock clock) {
        this.adapters = adapters;
        this.producer = producer;
        this.json = json;
        this.metrics = metrics;
        this.clock = clock;
    }

    @PostMapping("/webhooks/{adapterId}")
    public ResponseEntity<String> receive(@PathVariable String adapterId, @RequestBody(required = false) byte[] body,
                                          HttpServletRequest http) {
        Adapter adapter = adapters.find(adapterId)
                .orElseThrow(() -> new ApiProblem(404, "not-found", "No enabled adapter '" + Text.clip(adapterId, 64)
                        + "'"));
        byte[] raw = body == null ? new byte[0] : body;
        Optional<String> refusal = verify(adapter, raw, http);
        if (refusal.isPresent()) {
            metrics.webhookRefused(adapter.id());
            log.warn("Webhook for {} refused: {}", adapter.id(), refusal.get());
            return ResponseEntity.status(401).build();
        }
        String text = new String(raw, StandardCharsets.UTF_8);
        JsonNode tree = parse(text);
        String fingerprint = sha256(raw);
        String eventKey;
        try {
            eventKey = adapter.vendor().eventKey(new VendorAdapter.Webhook(text, tree, http::getHeader))
                    .map(k -> "event:" + k).orElse("sha256:" + fingerprint);
        } catch (RuntimeException e) {
            eventKey = "sha256:" + fingerprint;
        }
        eventKey = Text.clip(eventKey, 255);
        String contentType = Optional.ofNullable(http.getContentType()).map(t -> Text.clip(t, 100))
                .orElse("application/octet-stream");
        IntakeRecord candidate = new IntakeRecord(UUID.randomUUID(), adapter.id(), "adapter:" + adapter.id(), eventKey,
                fingerprint, adapter.id() + ":" + eventKey, null, adapter.descriptor().channel(), contentType, text,
                IntakeRecord.IntakeState.RECEIVED, null, null,
                (String) http.getAttribute(CorrelationFilter.ATTRIBUTE), null, null);
        IntakeStore.Outcome outcome = producer.requestBody("direct:intake-receive", candidate,
                IntakeStore.Outcome.class);
        if (!(outcome instanceof IntakeStore.Fresh)) {
            metrics.webhookReplayed(adapter.id());
            log.info("Webhook {} for {} is a retry of intake {}: answered as success", eventKey, adapter.id(),
                    outcome.record().id());
        }
        return ack(adapter.descriptor().ack());
    }

    private Optional<String> verify(Adapter adapter, byte[] raw, HttpServletRequest http) {
        SignatureScheme scheme = adapter.signature();
        if (scheme == null) {
            return Optional.of("the adapter declares no signature scheme");
        }
        Optional<SignatureScheme.Secret> secret = adapter.secret();
        if (secret.isEmpty()) {
            return Optional.of("no signing-secret configured (orderhub.adapters." + adapter.id() + ".signing-secret)");
        }
        String url = adapter.context().setting("notification-url").orElse(null);
        return scheme.verify(new SignatureScheme.SignedRequest(raw, http::getHeader, url, clock.instant()),
                secret.get());
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    private static ResponseEntity<String> ack(AdapterDescriptor.Ack ack) {
        int status = ack == null ? 200 : ack.statusOr200();
        String body = ack == null || ack.body() == null ? "" : ack.body();
        var response = ResponseEntity.status(status);
        if (body.isEmpty()) {
            return response.build();
        }
        String type = ack.contentType() == null || ack.contentType().isBlank() ? "application/json"
                : ack.contentType();
        return response.header(HttpHeaders.CONTENT_TYPE, type).body(body);
    }

    static String sha256(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
