package io.orderhub.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every scheme against signatures made by another implementation (Python's hmac module) or published with the
 * scheme's specification, plus the ways a request can be wrong.
 */
class SignatureSchemesTest {

    private static final byte[] BODY = ("{\"event_id\":\"c8f5f4f1-7b1e-4c5f-9d0c-2f5e8f1a9b7e\",\"event_type\":"
            + "\"orders.notification\",\"meta\":{\"resource_id\":\"ord-1\"}}").getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.ofEpochSecond(1_700_000_010);

    private final SignatureSchemes schemes = new SignatureSchemes();

    private Optional<String> verify(String kind, Map<String, String> params, Map<String, String> headers, byte[] body,
                                    String url, String secret, Instant now) {
        Map<String, String> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ci.putAll(headers);
        return schemes.create(kind, params).verify(new SignatureScheme.SignedRequest(body, ci::get, url, now),
                new SignatureScheme.Secret(secret, Duration.ofSeconds(300)));
    }

    @Test
    void aTimestampFarInThePastOrFutureIsOutsideTheToleranceEvenWhereTheDifferenceWouldOverflow() {
        Instant now = Instant.parse("2026-01-01T12:00:00Z");
        Duration fiveMinutes = Duration.ofMinutes(5);
        long at = now.getEpochSecond();
        assertThat(Schemes.outsideTolerance(String.valueOf(at - 300), now, fiveMinutes)).isEmpty();
        assertThat(Schemes.outsideTolerance(String.valueOf(at + 300), now, fiveMinutes)).isEmpty();
        assertThat(Schemes.outsideTolerance(String.valueOf(at - 301), now, fiveMinutes))
                .contains("timestamp is 301 s away, tolerance 300 s");
        // now - 2^63 made now - sent overflow to Long.MIN_VALUE, whose absolute value is negative: it passed before
        assertThat(Schemes.outsideTolerance(String.valueOf(at + Long.MIN_VALUE), now, fiveMinutes)).isPresent();
        assertThat(Schemes.outsideTolerance(String.valueOf(Long.MIN_VALUE), now, fiveMinutes)).isPresent();
        assertThat(Schemes.outsideTolerance(String.valueOf(Long.MAX_VALUE), now, fiveMinutes)).isPresent();
    }

    @Test
    void hexHmacOfBody() {
        Map<String, String> p = Map.of("header", "X-Signature");
        String sig = "7ff4786f1029d2fe62e90e901ed6d8ab8a1a57219b0e359e23f60ddad175404d";
        assertThat(verify("hmac-sha256-hex-body", p, Map.of("x-signature", sig), BODY, null, "client-secret-1", NOW))
                .isEmpty();
        assertThat(verify("hmac-sha256-hex-body", p, Map.of("X-Signature", sig.toUpperCase()), BODY, null,
                "client-secret-1", NOW)).isEmpty();
        assertThat(verify("hmac-sha256-hex-body", p, Map.of("X-Signature", sig), tampered(), null, "client-secret-1",
                NOW)).contains("X-Signature does not match the body");
        assertThat(verify("hmac-sha256-hex-body", p, Map.of("X-Signature", sig), BODY, null, "other-secret", NOW))
                .isPresent();
        assertThat(verify("hmac-sha256-hex-body", p, Map.of(), BODY, null, "client-secret-1", NOW))
                .contains("missing X-Signature");
    }

    @Test
    void hexHmacOfGuidAndBody() {
        Map<String, String> p = Map.of("guid-header", "X-Sequence-Guid", "header", "X-Hmac");
        String sig = "37bdbf22e968ea3c49807929eda71ac6c5181ea42e00180f60d0647ff46fc610";
        assertThat(verify("hmac-sha256-hex-guid-body", p, Map.of("x-sequence-guid", "9f8e7d6c-seq", "x-hmac", sig),
                BODY, null, "webhook-secret-2", NOW)).isEmpty();
        assertThat(verify("hmac-sha256-hex-guid-body", p, Map.of("X-Sequence-Guid", "another-guid", "X-Hmac", sig),
                BODY, null, "webhook-secret-2", NOW)).isPresent();
        assertThat(verify("hmac-sha256-hex-guid-body", p, Map.of("X-Hmac", sig), BODY, null, "webhook-secret-2", NOW))
                .contains("missing X-Sequence-Guid");
    }

    @Test
    void base64HmacOfUrlAndBody() {
        Map<String, String> p = Map.of("header", "X-Url-Signature");
        String sig = "/Xvm58mmP+4/Js281MNdg+fKo91HEgh2q0w0ZZ93vR8=";
        String url = "https://hub.example.com/webhooks/pos";
        assertThat(verify("hmac-sha256-base64-url-body", p, Map.of("X-Url-Signature", sig), BODY, url,
                "signature-key-3", NOW)).isEmpty();
        assertThat(verify("hmac-sha256-base64-url-body", p, Map.of("X-Url-Signature", sig), BODY, url + "/",
                "signature-key-3", NOW)).as("the URL is signed byte for byte").isPresent();
    }

    @Test
    void base64HmacOfBody() {
        Map<String, String> p = Map.of("header", "X-B64");
        assertThat(verify("hmac-sha256-base64-body", p, Map.of("X-B64", "8MV4LDhwHFfzRLURromglKopcLelEhI6eaYB7Llc0/M="),
                BODY, null, "verifier-token-5", NOW)).isEmpty();
        assertThat(verify("hmac-sha256-base64-body", p, Map.of("X-B64", "8MV4LDhwHFfzRLURromglKopcLelEhI6eaYB7Llc0/M="),
                tampered(), null, "verifier-token-5", NOW)).isPresent();
    }

    private static final byte[] TIMESTAMPED_BODY = ("{\"details\":{\"order\":{\"guid\":"
            + "\"0b5e9c7a-1f2d-4e3c-8a9b-6d5c4b3a2f10\",\"timestamp\":\"not-this-one\"}},\"timestamp\":"
            + "\"2026-01-01T11:58:31.004Z\",\"eventCategory\":\"order_updated\",\"eventType\":\"order_updated\","
            + "\"guid\":\"9e2d7c4b-3a1f-4e8d-b6c5-0f9a8e7d6c51\"}").getBytes(StandardCharsets.UTF_8);

    @Test
    void base64HmacOfBodyAndTimestampFromTheBody() {
        Map<String, String> p = Map.of("header", "X-Body-Time-Signature", "timestamp-source", "body:timestamp");
        String secret = "toast-webhook-secret-8";
        // Python: base64(hmac(secret, body + "2026-01-01T11:58:31.004Z")); the top-level field, not the nested one
        assertThat(verify("hmac-sha256-base64-body-timestamp", p, Map.of("x-body-time-signature",
                "jj+/vGuE1qfE5poNytb0scFXJZ9YzIULJ58J0pbbQwY="), TIMESTAMPED_BODY, null, secret, NOW)).isEmpty();
        assertThat(verify("hmac-sha256-base64-body-timestamp", p, Map.of("X-Body-Time-Signature",
                "J2LxaUBGMz2EKJNT27tDNK6qqlfjPvLkC9b0crJHGKA="), TIMESTAMPED_BODY, null, secret, NOW))
                .as("signed over the body alone: the timestamp is part of the message")
                .contains("X-Body-Time-Signature does not match the body and its timestamp");
        byte[] tampered = TIMESTAMPED_BODY.clone();
        tampered[tampered.length - 3] = '0';
        assertThat(verify("hmac-sha256-base64-body-timestamp", p, Map.of("X-Body-Time-Signature",
                "jj+/vGuE1qfE5poNytb0scFXJZ9YzIULJ58J0pbbQwY="), tampered, null, secret, NOW)).isPresent();
        assertThat(verify("hmac-sha256-base64-body-timestamp", p, Map.of("X-Body-Time-Signature",
                "jj+/vGuE1qfE5poNytb0scFXJZ9YzIULJ58J0pbbQwY="), TIMESTAMPED_BODY, null, "other-secret", NOW))
                .isPresent();
        assertThat(verify("hmac-sha256-base64-body-timestamp", p, Map.of(), TIMESTAMPED_BODY, null, secret, NOW))
                .contains("missing X-Body-Time-Signature");
        // a body without the field (or not JSON at all) is signed over the body alone
        assertThat(verify("hmac-sha256-base64-body-timestamp", p, Map.of("X-Body-Time-Signature",
                "+hBTb7r5tVbvQi1nKx+dvrj4/vbfKWlIFJiTVnMZXMw="), BODY, null, secret, NOW)).isEmpty();
        assertThat(verify("hmac-sha256-base64-body-timestamp", p, Map.of("X-Body-Time-Signature",
                "HDVMOhw0gR8A2x47umlKIDoYzZlE3AGEURSvNwT/ObY="), "{not json".getBytes(StandardCharsets.UTF_8), null,
                secret, NOW)).isEmpty();
        assertThat(verify("hmac-sha256-base64-body-timestamp", p, Map.of("X-Body-Time-Signature",
                "jj+/vGuE1qfE5poNytb0scFXJZ9YzIULJ58J0pbbQwY="), TIMESTAMPED_BODY, null, secret,
                NOW.plusSeconds(3600))).as("no tolerance: the vendor resends the same message minutes later")
                .isEmpty();
    }

    @Test
    void base64HmacOfBodyAndTimestampFromAHeader() {
        Map<String, String> p = Map.of("header", "X-Body-Time-Signature", "timestamp-source", "header:X-Timestamp");
        String secret = "toast-webhook-secret-8";
        // Python: base64(hmac(secret, body + "2026-01-01T11:58:32.000Z"))
        String sig = "PXnoDtJeGaj4S4zMhNDkjWUZzGpd+I9bqJiuSEGQEo8=";
        assertThat(verify("hmac-sha256-base64-body-timestamp", p, Map.of("X-Body-Time-Signature", sig,
                "x-timestamp", "2026-01-01T11:58:32.000Z"), TIMESTAMPED_BODY, null, secret, NOW)).isEmpty();
        assertThat(verify("hmac-sha256-base64-body-timestamp", p, Map.of("X-Body-Time-Signature", sig,
                "X-Timestamp", "2026-01-01T11:58:31.004Z"), TIMESTAMPED_BODY, null, secret, NOW)).isPresent();
        assertThat(verify("hmac-sha256-base64-body-timestamp", p, Map.of("X-Body-Time-Signature", sig),
                TIMESTAMPED_BODY, null, secret, NOW)).contains("missing X-Timestamp");
        assertThatThrownBy(() -> schemes.create("hmac-sha256-base64-body-timestamp", Map.of("header", "X-S",
                "timestamp-source", "query:t"))).hasMessageContaining("timestamp-source");
        assertThatThrownBy(() -> schemes.create("hmac-sha256-base64-body-timestamp", Map.of("header", "X-S")))
                .hasMessageContaining("'timestamp-source' is required");
    }

    @Test
    void theTestSignerAgreesWithTheBodyAndTimestampVerifier() {
        String body = new String(TIMESTAMPED_BODY, StandardCharsets.UTF_8);
        for (String source : new String[] {"body:timestamp", "header:X-Timestamp"}) {
            Map<String, String> p = Map.of("header", "X-Body-Time-Signature", "timestamp-source", source);
            Map<String, String> headers = WebhookSigner.sign("hmac-sha256-base64-body-timestamp", p, "s-9", body,
                    null);
            assertThat(verify("hmac-sha256-base64-body-timestamp", p, headers, TIMESTAMPED_BODY, null, "s-9", NOW))
                    .as(source).isEmpty();
        }
    }

    @Test
    void timestampedHmacAcceptsAnyV1WithinTheToleranceOnly() {
        Map<String, String> p = Map.of("header", "X-Timed-Signature");
        String good = "e86ef95e6811c6a509f378ee0cf6b63e5f3f6df48e8e0a13772d3cbaf7738a19";
        String secret = "whsec_endpointsecret4";
        assertThat(verify("timestamped-hmac-sha256", p, Map.of("X-Timed-Signature", "t=1700000000,v1=" + good), BODY,
                null, secret, NOW)).isEmpty();
        assertThat(verify("timestamped-hmac-sha256", p, Map.of("X-Timed-Signature",
                "t=1700000000,v1=" + "0".repeat(64) + ",v1=" + good + ",v0=abc"), BODY, null, secret, NOW))
                .as("rotation: a second v1 matches").isEmpty();
        assertThat(verify("timestamped-hmac-sha256", p, Map.of("X-Timed-Signature", "t=1700000000,v1=" + good), BODY,
                null, secret, NOW.plusSeconds(301))).get().asString().contains("tolerance 300 s");
        assertThat(verify("timestamped-hmac-sha256", p, Map.of("X-Timed-Signature", "t=1700000001,v1=" + good), BODY,
                null, secret, NOW)).as("the timestamp is signed").contains("no v1 signature matches");
        assertThat(verify("timestamped-hmac-sha256", p, Map.of("X-Timed-Signature", "v1=" + good), BODY, null, secret,
                NOW)).isPresent();
    }

    @Test
    void standardWebhooksPublishedVector() {
        byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                "webhook-timestamp", "1614265330",
                "webhook-signature", "v1,bm9ldHUzMDEyMzQ1Njc4OQ== v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        assertThat(verify("standard-webhooks", Map.of(), headers, body, null, secret,
                Instant.ofEpochSecond(1614265330 + 60))).isEmpty();
        assertThat(verify("standard-webhooks", Map.of(), headers, body, null, secret,
                Instant.ofEpochSecond(1614265330 + 3600))).isPresent();
        assertThat(verify("standard-webhooks", Map.of(), Map.of("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                        "webhook-timestamp", "1614265330", "webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
                "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8), null, secret,
                Instant.ofEpochSecond(1614265330))).isPresent();
    }

    @Test
    void bearerToken() {
        assertThat(verify("bearer-token", Map.of(), Map.of("Authorization", "Bearer token-6"), BODY, null, "token-6",
                NOW)).isEmpty();
        assertThat(verify("bearer-token", Map.of(), Map.of("Authorization", "Bearer token-7"), BODY, null, "token-6",
                NOW)).isPresent();
        assertThat(verify("bearer-token", Map.of(), Map.of("Authorization", "Basic dG9rZW4tNg=="), BODY, null,
                "token-6", NOW)).contains("missing bearer token");
    }

    @Test
    void staticHeaderToken() {
        Map<String, String> p = Map.of("header", "X-Static-Auth");
        String code = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
        assertThat(verify("static-header-token", p, Map.of("X-Static-Auth", code), BODY, null, code, NOW)).isEmpty();
        assertThat(verify("static-header-token", p, Map.of("x-static-auth", " " + code + " "), tampered(), null, code,
                NOW)).as("header name in any case, value trimmed; the body is not signed").isEmpty();
        assertThat(verify("static-header-token", p, Map.of("X-Static-Auth", code.replace('f', 'e')), BODY, null,
                code, NOW)).contains("X-Static-Auth does not match");
        assertThat(verify("static-header-token", p, Map.of("X-Static-Auth", code.substring(0, 35)), BODY, null, code,
                NOW)).as("a prefix of the code").contains("X-Static-Auth does not match");
        assertThat(verify("static-header-token", p, Map.of("X-Static-Auth", code + "0"), BODY, null, code, NOW))
                .as("the code and more").isPresent();
        assertThat(verify("static-header-token", p, Map.of("X-Static-Auth", ""), BODY, null, code, NOW)).isPresent();
        assertThat(verify("static-header-token", p, Map.of("Authorization", "Bearer " + code), BODY, null, code, NOW))
                .contains("missing X-Static-Auth");
        Map<String, String> signed = WebhookSigner.sign("static-header-token", p, code, "{}", null);
        assertThat(verify("static-header-token", p, signed, "{}".getBytes(StandardCharsets.UTF_8), null, code, NOW))
                .as("the test signer sends what the scheme checks").isEmpty();
        assertThatThrownBy(() -> schemes.create("static-header-token", Map.of()))
                .hasMessageContaining("'header' is required");
    }

    @Test
    void unknownKindsMissingParametersAndBlankSecretsFailFast() {
        assertThatThrownBy(() -> schemes.create("md5-of-body", Map.of())).hasMessageContaining("unknown signature");
        assertThatThrownBy(() -> schemes.create("hmac-sha256-hex-body", Map.of()))
                .hasMessageContaining("'header' is required");
        assertThatThrownBy(() -> new SignatureScheme.Secret(" ", null)).hasMessageContaining("secret is required");
        assertThat(new SignatureScheme.Secret("s3cr3t", null).toString()).doesNotContain("s3cr3t");
    }

    private static byte[] tampered() {
        byte[] copy = BODY.clone();
        copy[copy.length - 3] = '2';
        return copy;
    }
}
