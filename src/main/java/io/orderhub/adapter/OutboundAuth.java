package io.orderhub.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.pipeline.TransientFailure;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Auth on calls to a vendor, by the scheme the descriptor names under {@code outbound.auth.scheme}; secrets come
 * from the adapter's settings (configuration or environment), never from the descriptor.
 *
 * <pre>
 * none
 * bearer                      Authorization: Bearer {api-token}
 * basic                       Authorization: Basic {client-id}:{client-secret}
 * oauth2-client-credentials   token from {token-url} (client-id, client-secret, auth.scope), cached until expiry
 * jwt-hs256                   a short-lived HS256 JWT: iss {jwt-issuer}, kid {jwt-key-id}, aud auth.audience,
 *                             key = base64url-decoded {jwt-signing-secret}; auth.header-* go into the JWT header
 * </pre>
 */
final class OutboundAuth {

    private final AdapterContext adapter;
    private final HttpClient http;
    private final Map<String, String> config;
    private volatile String cachedToken;
    private volatile Instant cachedUntil = Instant.EPOCH;

    OutboundAuth(AdapterContext adapter, HttpClient http) {
        this.adapter = adapter;
        this.http = http;
        var outbound = adapter.descriptor().outbound();
        this.config = outbound == null || outbound.auth() == null ? Map.of() : outbound.auth();
    }

    String scheme() {
        return config.getOrDefault("scheme", "none");
    }

    void apply(HttpRequest.Builder request) {
        switch (scheme()) {
            case "none" -> { }
            case "bearer" -> request.header("Authorization", "Bearer " + adapter.requiredSetting("api-token"));
            case "basic" -> request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (adapter.requiredSetting("client-id") + ":" + adapter.requiredSetting("client-secret"))
                            .getBytes(StandardCharsets.UTF_8)));
            case "oauth2-client-credentials" -> request.header("Authorization", "Bearer " + oauthToken());
            case "jwt-hs256" -> request.header("Authorization", "Bearer " + jwt());
            default -> throw new IllegalStateException("adapter " + adapter.id() + ": unknown outbound auth scheme '"
                    + scheme() + "'");
        }
    }

    void forget() {
        cachedToken = null;
        cachedUntil = Instant.EPOCH;
    }

    private synchronized String oauthToken() {
        Instant now = adapter.clock().instant();
        if (cachedToken != null && now.isBefore(cachedUntil)) {
            return cachedToken;
        }
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        form.append("&client_id=").append(enc(adapter.requiredSetting("client-id")));
        form.append("&client_secret=").append(enc(adapter.requiredSetting("client-secret")));
        if (config.get("scope") != null) {
            form.append("&scope=").append(enc(config.get("scope")));
        }
        String url = adapter.requiredSetting("token-url");
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new TransientFailure(adapter.id() + " token endpoint answered " + r.statusCode());
            }
            JsonNode token = adapter.json().readTree(r.body());
            cachedToken = token.path("access_token").asText(null);
            if (cachedToken == null) {
                throw new TransientFailure(adapter.id() + " token endpoint gave no access_token");
            }
            long seconds = token.path("expires_in").asLong(3600);
            cachedUntil = now.plusSeconds(Math.max(0, seconds - 60));
            return cachedToken;
        } catch (IOException e) {
            throw new TransientFailure(adapter.id() + " token endpoint failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure(adapter.id() + " token request interrupted", e);
        }
    }

    private String jwt() {
        long now = adapter.clock().instant().getEpochSecond();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "HS256");
        header.put("typ", "JWT");
        config.forEach((k, v) -> {
            if (k.startsWith("header-")) {
                header.put(k.substring("header-".length()), v);
            }
        });
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", config.getOrDefault("audience", adapter.id()));
        claims.put("iss", adapter.requiredSetting("jwt-issuer"));
        claims.put("kid", adapter.requiredSetting("jwt-key-id"));
        claims.put("iat", now);
        claims.put("exp", now + Long.parseLong(config.getOrDefault("ttl-seconds", "300")));
        try {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String signingInput = b64.encodeToString(adapter.json().writeValueAsBytes(header)) + "."
                    + b64.encodeToString(adapter.json().writeValueAsBytes(claims));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getUrlDecoder().decode(adapter.requiredSetting("jwt-signing-secret")),
                    "HmacSHA256"));
            return signingInput + "." + b64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException("adapter " + adapter.id() + ": cannot sign its JWT: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
