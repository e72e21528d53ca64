package io.orderhub.signature;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/** Webhook signature schemes, each implemented once; {@link SignatureSchemes} builds them by kind. */
public final class Schemes {

    private Schemes() {
    }

    /** Lowercase hex HMAC-SHA256 of the raw body in one header (one header, named by the adapter). */
    public record HexHmacOfBody(String name, String headerName) implements SignatureScheme {
        @Override
        public Optional<String> verify(SignedRequest r, Secret secret) {
            return compare(headerName, r, "the body", presented -> Hmac.same(
                    HexFormat.of().formatHex(Hmac.sha256(Hmac.utf8(secret.value()), r.body())),
                    presented.toLowerCase(Locale.ROOT)));
        }
    }

    /** Base64 HMAC-SHA256 of the raw body (one header, named by the adapter). */
    public record Base64HmacOfBody(String name, String headerName) implements SignatureScheme {
        @Override
        public Optional<String> verify(SignedRequest r, Secret secret) {
            return compare(headerName, r, "the body", presented -> Hmac.same(
                    Base64.getEncoder().encodeToString(Hmac.sha256(Hmac.utf8(secret.value()), r.body())), presented));
        }
    }

    /**
     * Hex HMAC-SHA256 over {@code <sequence guid> + separator + <raw body>}, the guid in a header of its own.
     */
    public record HexHmacOfGuidAndBody(String name, String guidHeader, String signatureHeader, String separator)
            implements SignatureScheme {
        @Override
        public Optional<String> verify(SignedRequest r, Secret secret) {
            String guid = r.header().apply(guidHeader);
            String presented = r.header().apply(signatureHeader);
            if (guid == null || presented == null) {
                return Optional.of("missing " + (guid == null ? guidHeader : signatureHeader));
            }
            String expected = HexFormat.of().formatHex(Hmac.sha256(Hmac.utf8(secret.value()),
                    Hmac.utf8(guid + separator), r.body()));
            return Hmac.same(expected, presented.toLowerCase(Locale.ROOT)) ? Optional.empty()
                    : Optional.of(signatureHeader + " does not match guid and body");
        }
    }

    /**
     * Base64 HMAC-SHA256 over {@code <raw body> + <timestamp>}. Where the timestamp comes from is a parameter
     * ({@code timestamp-source}): {@code body:<field>} takes the text of that top-level field of the JSON body (read
     * with a streaming parser, nested values skipped), {@code header:<name>} takes a header. A body without the field
     * (or not JSON) signs with an empty timestamp, i.e. over the body alone: the HMAC still covers every byte of
     * the body, so nothing can be forged without the secret. No tolerance is enforced on this timestamp: the
     * vendor resends the same message minutes later, and the hub dedupes on the event key.
     */
    public record Base64HmacOfBodyAndTimestamp(String name, String headerName, String timestampSource)
            implements SignatureScheme {

        public Base64HmacOfBodyAndTimestamp {
            if (!timestampSource.startsWith("body:") && !timestampSource.startsWith("header:")
                    || timestampSource.indexOf(':') == timestampSource.length() - 1) {
                throw new IllegalArgumentException("signature scheme parameter 'timestamp-source' must be "
                        + "body:<json field> or header:<header name>, not '" + timestampSource + "'");
            }
        }

        @Override
        public Optional<String> verify(SignedRequest r, Secret secret) {
            String presented = r.header().apply(headerName);
            if (presented == null) {
                return Optional.of("missing " + headerName);
            }
            String timestamp;
            if (timestampSource.startsWith("header:")) {
                String header = timestampSource.substring("header:".length());
                timestamp = r.header().apply(header);
                if (timestamp == null) {
                    return Optional.of("missing " + header);
                }
            } else {
                timestamp = topLevelText(r.body(), timestampSource.substring("body:".length()));
            }
            String expected = Base64.getEncoder().encodeToString(Hmac.sha256(Hmac.utf8(secret.value()), r.body(),
                    Hmac.utf8(timestamp)));
            return Hmac.same(expected, presented) ? Optional.empty()
                    : Optional.of(headerName + " does not match the body and its timestamp");
        }

        /**
         * The text of a top-level string field of a JSON object body; "" when absent, not text, or when the body is
         * not one whole JSON object (truncated, say: the field is not taken from a body that does not parse, even
         * when it comes before the break). A field given twice counts by its last value, as JSON parsers read it.
         */
        static String topLevelText(byte[] body, String field) {
            try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(body)) {
                if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                    return "";
                }
                String text = "";
                com.fasterxml.jackson.core.JsonToken t;
                while ((t = p.nextToken()) == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    com.fasterxml.jackson.core.JsonToken value = p.nextToken();
                    if (field.equals(name)) {
                        text = value == com.fasterxml.jackson.core.JsonToken.VALUE_STRING ? p.getText() : "";
                    }
                    p.skipChildren();
                }
                return t == com.fasterxml.jackson.core.JsonToken.END_OBJECT ? text : "";
            } catch (java.io.IOException notJson) {
                return "";
            }
        }

        private static final com.fasterxml.jackson.core.JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactory();
    }

    /**
     * Base64 HMAC-SHA256 over the notification URL exactly as registered followed by the raw body. The URL is the
     * configured one, not the one the request arrived on, because proxies rewrite hosts and schemes.
     */
    public record Base64HmacOfUrlAndBody(String name, String headerName) implements SignatureScheme {
        @Override
        public Optional<String> verify(SignedRequest r, Secret secret) {
            if (r.url() == null) {
                return Optional.of("no notification URL configured for " + name);
            }
            return compare(headerName, r, "URL and body", presented -> Hmac.same(Base64.getEncoder()
                    .encodeToString(Hmac.sha256(Hmac.utf8(secret.value()), Hmac.utf8(r.url()), r.body())), presented));
        }
    }

    /** {@code Authorization: Bearer <token we registered with the vendor>}. */
    public record BearerToken(String name) implements SignatureScheme {
        @Override
        public Optional<String> verify(SignedRequest r, Secret secret) {
            String header = r.header().apply("Authorization");
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Optional.of("missing bearer token");
            }
            return Hmac.same(secret.value(), header.substring(7)) ? Optional.empty()
                    : Optional.of("bearer token does not match");
        }
    }

    /**
     * {@code <header>: <static code>}: the vendor sends the same code, issued once when the webhook was registered,
     * with every request; nothing signs the body, so the code is all that authenticates it. Compared in constant time,
     * as SHA-256 digests, so neither the content nor the length of the code leaks through timing.
     */
    public record StaticHeaderToken(String name, String headerName) implements SignatureScheme {
        @Override
        public Optional<String> verify(SignedRequest r, Secret secret) {
            String presented = r.header().apply(headerName);
            if (presented == null) {
                return Optional.of("missing " + headerName);
            }
            return java.security.MessageDigest.isEqual(sha256(secret.value()), sha256(presented.trim()))
                    ? Optional.empty() : Optional.of(headerName + " does not match");
        }

        private static byte[] sha256(String text) {
            try {
                return java.security.MessageDigest.getInstance("SHA-256").digest(Hmac.utf8(text));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * {@code <header>: t=<unix>,v1=<hex>[,v1=...]}: hex HMAC-SHA256 of {@code "<t>.<raw body>"} with the endpoint
     * secret as is; any v1 may match (secret rotation); t must be within the tolerance.
     */
    public record TimestampedHexHmac(String name, String headerName) implements SignatureScheme {
        @Override
        public Optional<String> verify(SignedRequest r, Secret secret) {
            String header = r.header().apply(headerName);
            if (header == null) {
                return Optional.of("missing " + headerName);
            }
            String timestamp = null;
            java.util.List<String> signatures = new java.util.ArrayList<>();
            for (String part : header.split(",")) {
                String[] kv = part.trim().split("=", 2);
                if (kv.length == 2 && kv[0].equals("t")) {
                    timestamp = kv[1];
                } else if (kv.length == 2 && kv[0].equals("v1")) {
                    signatures.add(kv[1]);
                }
            }
            if (timestamp == null || signatures.isEmpty()) {
                return Optional.of(headerName + " has no t= or no v1=");
            }
            Optional<String> stale = outsideTolerance(timestamp, r.receivedAt(), secret.tolerance());
            if (stale.isPresent()) {
                return stale;
            }
            String expected = HexFormat.of().formatHex(Hmac.sha256(Hmac.utf8(secret.value()),
                    Hmac.utf8(timestamp + "."), r.body()));
            boolean any = false;
            for (String candidate : signatures) {
                any |= Hmac.same(expected, candidate);
            }
            return any ? Optional.empty() : Optional.of("no v1 signature matches");
        }
    }

    /**
     * Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature} (space-separated
     * {@code v1,<base64>}); base64 HMAC-SHA256 of {@code id.timestamp.body} keyed with the base64 part of
     * {@code whsec_...}; the timestamp within the tolerance (5 minutes).
     */
    public record StandardWebhooks(String name) implements SignatureScheme {
        @Override
        public Optional<String> verify(SignedRequest r, Secret secret) {
            String id = r.header().apply("webhook-id");
            String timestamp = r.header().apply("webhook-timestamp");
            String signatures = r.header().apply("webhook-signature");
            if (id == null || timestamp == null || signatures == null) {
                return Optional.of("missing webhook-id, webhook-timestamp or webhook-signature");
            }
            Optional<String> stale = outsideTolerance(timestamp, r.receivedAt(), secret.tolerance());
            if (stale.isPresent()) {
                return stale;
            }
            String expected = Base64.getEncoder().encodeToString(Hmac.sha256(key(secret.value()),
                    Hmac.utf8(id + "." + timestamp + "."), r.body()));
            boolean any = false;
            for (String versioned : signatures.trim().split(" +")) {
                String[] parts = versioned.split(",", 2);
                if (parts.length == 2 && parts[0].equals("v1")) {
                    any |= Hmac.same(expected, parts[1]);
                }
            }
            return any ? Optional.empty() : Optional.of("no v1 signature matches");
        }

        static byte[] key(String secret) {
            String encoded = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
            return Base64.getDecoder().decode(encoded);
        }
    }

    /** The common shape: the header must be there, and its value must match what the secret gives. */
    static Optional<String> compare(String headerName, SignatureScheme.SignedRequest r, String signed,
                                    java.util.function.Predicate<String> matches) {
        String presented = r.header().apply(headerName);
        if (presented == null) {
            return Optional.of("missing " + headerName);
        }
        return matches.test(presented) ? Optional.empty()
                : Optional.of(headerName + " does not match " + signed);
    }

    static Optional<String> outsideTolerance(String unixSeconds, Instant now, Duration tolerance) {
        long sent;
        try {
            sent = Long.parseLong(unixSeconds.trim());
        } catch (NumberFormatException e) {
            return Optional.of("timestamp is not a number");
        }
        // compared without subtracting the sent time: a timestamp near Long.MIN_VALUE would overflow the difference
        long at = now.getEpochSecond();
        long tol = tolerance.toSeconds();
        if (sent >= at - tol && sent <= at + tol) {
            return Optional.empty();
        }
        String away = sent < at - tol - 1_000_000_000L || sent > at + tol + 1_000_000_000L ? "more than 10^9"
                : String.valueOf(Math.abs(at - sent));
        return Optional.of("timestamp is " + away + " s away, tolerance " + tol + " s");
    }
}
