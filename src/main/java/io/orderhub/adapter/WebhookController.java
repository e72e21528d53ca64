package io.orderhub.adapter;

import io.orderhub.observability.HubMetrics;
import io.orderhub.signature.SignatureScheme;
import io.orderhub.support.Text;
import io.orderhub.web.CorrelationFilter;
import io.orderhub.web.ProblemHandler.ApiProblem;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
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
    private final VendorIntake intake;
    private final HubMetrics metrics;
    private final Clock clock;

    public WebhookController(AdapterRegistry adapters, VendorIntake intake, HubMetrics metrics, Clock clock) {
        this.adapters = adapters;
        this.intake = intake;
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
            Optional<String> handshake = handshake(adapter, raw);
            if (handshake.isPresent()) {
                log.warn("{} subscription check received (unsigned, nothing stored): {}", adapter.id(),
                        Text.clip(handshake.get(), 200));
                return ResponseEntity.ok().build();
            }
            metrics.webhookRefused(adapter.id());
            log.warn("Webhook for {} refused: {}", adapter.id(), refusal.get());
            return ResponseEntity.status(401).build();
        }
        boolean fresh = intake.receive(adapter, new String(raw, StandardCharsets.UTF_8), http::getHeader,
                Optional.ofNullable(http.getContentType()).orElse("application/octet-stream"),
                (String) http.getAttribute(CorrelationFilter.ATTRIBUTE));
        ResponseEntity<String> answer = ack(adapter.descriptor().ack());
        if (fresh) {
            return answer;
        }
        // a repeat gets the vendor's usual acknowledgement (anything else makes the vendor retry), marked as one
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header(DUPLICATE_HEADER, "true").body(answer.getBody());
    }

    /** Set on the answer to a webhook whose every event the hub already had. */
    public static final String DUPLICATE_HEADER = "OrderHub-Duplicate";

    private static Optional<String> handshake(Adapter adapter, byte[] raw) {
        try {
            return raw.length > 1024 ? Optional.empty()
                    : adapter.vendor().handshake(new String(raw, StandardCharsets.UTF_8), adapter.context());
        } catch (RuntimeException notOne) {
            return Optional.empty();
        }
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
}
