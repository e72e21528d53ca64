package io.orderhub.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.pipeline.PermanentFailure;
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

/**
 * Calls to one vendor's API: its base URL, its auth scheme, a timeout, and the hub's failure classes. A 2xx (or
 * an answer the descriptor lists as "already done") is success; 408, 425, 429, 5xx, timeouts and connection
 * errors are transient (retried by the error policy, Retry-After noted in the reason); any other 4xx is permanent
 * (the message goes to its dead-letter queue with the vendor's answer). Written on the JDK's HTTP client: the calls
 * are plain JSON over HTTPS and the retry policy is the broker's, so no further library is needed here.
 */
public final class VendorApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private final AdapterContext adapter;
    private final OutboundAuth auth;

    VendorApi(AdapterContext adapter) {
        this.adapter = adapter;
        this.auth = new OutboundAuth(adapter, HTTP);
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
        String what = adapter.id() + " " + call.method() + " " + call.path();
        HttpResponse<String> response;
        try {
            response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TransientFailure(what + " failed: " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure(what + " interrupted", e);
        }
        int status = response.statusCode();
        if (status / 100 == 2 || alreadyDone().contains(status)) {
            return new Response(status, response.body());
        }
        String answer = what + " answered " + status + ": " + Text.clip(response.body(), 500);
        if (status == 401) {
            auth.forget();
        }
        if (status == 408 || status == 425 || status == 429 || status == 401 || status >= 500) {
            String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
            throw new TransientFailure(retryAfter == null ? answer : answer + " (Retry-After " + retryAfter + ")");
        }
        throw new PermanentFailure(answer);
    }

    private Duration timeout() {
        var outbound = adapter.descriptor().outbound();
        String t = outbound == null ? null : outbound.timeout();
        return t == null ? Duration.ofSeconds(5) : org.springframework.boot.convert.DurationStyle.detectAndParse(t);
    }

    private List<Integer> alreadyDone() {
        var outbound = adapter.descriptor().outbound();
        return outbound == null || outbound.alreadyDoneStatuses() == null ? List.of() : outbound.alreadyDoneStatuses();
    }
}
