package io.orderhub.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.pipeline.PermanentFailure;
import io.orderhub.pipeline.RetryLater;
import io.orderhub.pipeline.TransientFailure;
import io.orderhub.support.Text;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls to one vendor's API: its base URL, its auth scheme, a timeout, and the hub's failure classes. A 2xx (or
 * an answer the descriptor lists as "already done") is success; 408, 425, 429, 5xx, timeouts and connection
 * errors are transient (retried by the error policy, Retry-After noted in the reason); any other 4xx is permanent
 * (the message goes to its dead-letter queue with the vendor's answer). Written on the JDK's HTTP client: the calls
 * are plain JSON over HTTPS and the retry policy is the broker's, so no further library is needed here.
 */
public final class VendorApi {

    private static final Logger log = LoggerFactory.getLogger(VendorApi.class);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** A vendor's Retry-After is honoured up to this long; a longer one is capped (the message is parked). */
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);

    private final AdapterContext adapter;
    private final OutboundAuth auth;
    private final VendorResilience resilience;

    VendorApi(AdapterContext adapter, VendorResilience.Factory resilience) {
        this.adapter = adapter;
        this.auth = new OutboundAuth(adapter, HTTP);
        this.resilience = resilience.create(adapter.id(), descriptorTimeout());
    }

    public VendorResilience resilience() {
        return resilience;
    }

    /** The answer of a successful call. */
    public record Response(int status, String body) {
    }

    public JsonNode getJson(String path) {
        Response r = send(new VendorCall("GET", path, null, Map.of()), null);
        try {
            return adapter.json().readTree(r.body());
        } catch (IOException e) {
            throw new PermanentFailure(adapter.id() + " GET " + path + " answered with a body that is not JSON", e);
        }
    }

    /** Sends the call with the descriptor's auth; {@code idempotencyKey} (if any) as an Idempotency-Key header. */
    public Response send(VendorCall call, String idempotencyKey) {
        HttpRequest request = request(call, idempotencyKey);
        String what = adapter.id() + " " + call.method() + " " + call.path();
        // circuit breaker, time limiter and rate limit of this vendor (VendorResilience); the answer is judged
        // inside, so the breaker counts transient answers as failures and a 4xx as a vendor that is up
        return resilience.call(what, () -> HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> judge(what, response, error)));
    }

    /**
     * The adapter's health check, sent past the circuit breaker and the rate limit (it is asked while the circuit
     * is open): true when the vendor answers it, with a 2xx or a 4xx that is not about auth or load (401, 408,
     * 425, 429); false on a 5xx, a time-out or no connection. Never throws.
     */
    public boolean answers(VendorCall check) {
        String what = adapter.id() + " " + check.method() + " " + check.path();
        try {
            HttpResponse<Void> r = HTTP.sendAsync(request(check, null), HttpResponse.BodyHandlers.discarding())
                    .get(timeout().toMillis(), TimeUnit.MILLISECONDS);
            int status = r.statusCode();
            boolean up = status / 100 == 2 || (status / 100 == 4 && !transientStatus(status));
            log.info("Health check {} answered {}: {}", what, status, up ? "the vendor answers" : "not answering");
            return up;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            log.info("Health check {} failed: {}", what, e.toString());
            return false;
        }
    }

    private HttpRequest request(VendorCall call, String idempotencyKey) {
        String url = adapter.requiredSetting("base-url") + call.path();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout())
                .header("Accept", "application/json").header("User-Agent", "OrderHub");
        String body = null;
        if (call.body() != null) {
            try {
                body = call.body() instanceof String s ? s : adapter.json().writeValueAsString(call.body());
            } catch (IOException e) {
                throw new PermanentFailure("cannot write the " + adapter.id() + " request body", e);
            }
            b.header("Content-Type", "application/json");
        }
        b.method(call.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        auth.apply(b);
        call.headers().forEach(b::setHeader);
        return b.build();
    }

    private Response judge(String what, HttpResponse<String> response, Throwable error) {
        if (error != null) {
            Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            throw new TransientFailure(what + " failed: " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
        int status = response.statusCode();
        if (status / 100 == 2 || alreadyDone().contains(status)) {
            return new Response(status, response.body());
        }
        String answer = what + " answered " + status + ": " + Text.clip(response.body(), 500);
        if (status == 401) {
            auth.forget();
        }
        if (transientStatus(status)) {
            String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
            Duration wait = retryAfter(retryAfter);
            if (wait != null) {
                // the vendor said when: the message waits on its queue until then (this attempt counts)
                throw new RetryLater(answer + " (Retry-After " + retryAfter + ")", wait, true);
            }
            throw new TransientFailure(answer, status);
        }
        throw new PermanentFailure(answer);
    }

    /** An answer a later attempt may not meet: 408, 425, 429, 401 (the token is fetched again) and every 5xx. */
    private static boolean transientStatus(int status) {
        return status == 408 || status == 425 || status == 429 || status == 401 || status >= 500;
    }

    /** Retry-After as delta-seconds or an HTTP date (RFC 9110 10.2.3), capped; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Duration wait;
        try {
            wait = Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException notSeconds) {
            try {
                wait = Duration.between(java.time.Instant.now(), java.time.ZonedDateTime.parse(value.trim(),
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (java.time.format.DateTimeParseException unreadable) {
                return null;
            }
        }
        if (wait.isNegative() || wait.isZero()) {
            return Duration.ofMillis(100);
        }
        return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }

    private Duration timeout() {
        Duration t = descriptorTimeout();
        return t == null ? Duration.ofSeconds(5) : t;
    }

    private Duration descriptorTimeout() {
        var outbound = adapter.descriptor().outbound();
        String t = outbound == null ? null : outbound.timeout();
        return t == null ? null : org.springframework.boot.convert.DurationStyle.detectAndParse(t);
    }

    private List<Integer> alreadyDone() {
        var outbound = adapter.descriptor().outbound();
        return outbound == null || outbound.alreadyDoneStatuses() == null ? List.of() : outbound.alreadyDoneStatuses();
    }
}
