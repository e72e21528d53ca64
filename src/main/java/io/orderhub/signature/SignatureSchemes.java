package io.orderhub.signature;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * Signature schemes by kind, built with the header names an adapter's descriptor gives. Which vendor uses which
 * kind, and its header names, live in that vendor's folder; shared code knows only the kinds.
 *
 * <pre>
 * hmac-sha256-hex-body        header                      hex HMAC of the raw body
 * hmac-sha256-base64-body     header                      base64 HMAC of the raw body
 * hmac-sha256-hex-guid-body   guid-header, header, [separator=" "]   hex HMAC of guid + separator + body
 * hmac-sha256-base64-url-body header (+ the notification URL)         base64 HMAC of URL + body
 * hmac-sha256-base64-body-timestamp  header, timestamp-source (body:&lt;field&gt; | header:&lt;name&gt;)
 *                                                         base64 HMAC of body + timestamp
 * timestamped-hmac-sha256     header                      t=...,v1=... over "t.body", with tolerance
 * bearer-token                -                           Authorization: Bearer token
 * static-header-token         header                      the registered code as is, in one header (no signature)
 * standard-webhooks           -                           webhook-id / -timestamp / -signature
 * </pre>
 */
@Component
public class SignatureSchemes {

    private static final Map<String, Function<Map<String, String>, SignatureScheme>> KINDS = Map.of(
            "hmac-sha256-hex-body", p -> new Schemes.HexHmacOfBody("hmac-sha256-hex-body", required(p, "header")),
            "hmac-sha256-base64-body", p -> new Schemes.Base64HmacOfBody("hmac-sha256-base64-body",
                    required(p, "header")),
            "hmac-sha256-hex-guid-body", p -> new Schemes.HexHmacOfGuidAndBody("hmac-sha256-hex-guid-body",
                    required(p, "guid-header"), required(p, "header"), p.getOrDefault("separator", " ")),
            "hmac-sha256-base64-url-body", p -> new Schemes.Base64HmacOfUrlAndBody("hmac-sha256-base64-url-body",
                    required(p, "header")),
            "hmac-sha256-base64-body-timestamp", p -> new Schemes.Base64HmacOfBodyAndTimestamp(
                    "hmac-sha256-base64-body-timestamp", required(p, "header"), required(p, "timestamp-source")),
            "timestamped-hmac-sha256", p -> new Schemes.TimestampedHexHmac("timestamped-hmac-sha256",
                    required(p, "header")),
            "bearer-token", p -> new Schemes.BearerToken("bearer-token"),
            "static-header-token", p -> new Schemes.StaticHeaderToken("static-header-token", required(p, "header")),
            "standard-webhooks", p -> new Schemes.StandardWebhooks("standard-webhooks"));

    /** A scheme of the given kind with the descriptor's parameters; unknown kinds and missing parameters fail fast. */
    public SignatureScheme create(String kind, Map<String, String> parameters) {
        Function<Map<String, String>, SignatureScheme> factory = KINDS.get(kind);
        if (factory == null) {
            throw new IllegalArgumentException("unknown signature scheme '" + kind + "'; known: " + kinds());
        }
        return factory.apply(parameters == null ? Map.of() : parameters);
    }

    public Set<String> kinds() {
        return new TreeSet<>(KINDS.keySet());
    }

    private static String required(Map<String, String> parameters, String name) {
        String value = parameters.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("signature scheme parameter '" + name + "' is required");
        }
        return value;
    }
}
