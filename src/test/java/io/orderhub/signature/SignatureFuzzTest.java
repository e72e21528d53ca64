package io.orderhub.signature;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes every signature scheme kind {@link SignatureSchemes} knows (docs/reliability.md, "Fuzzing"):
 * <ul>
 * <li>{@link #verifyNeverThrows}: fuzzed headers (each header a scheme reads: present or not, any text), body and
 * notification URL; verify answers "authentic" or a reason, and never throws;</li>
 * <li>{@link #otherBodyNeverVerifies}: a request signed as the vendor signs it (WebhookSigner, written apart from the
 * verifiers) for one body, with the fuzzed body in its place, is refused, unless the fuzzed body is that body.
 * Schemes that do not sign the body (a bearer token, a static header code) are left out of this one: any body
 * verifies with them by design.</li>
 * </ul>
 * An input's first byte picks the scheme kind, so kinds added later are fuzzed without a change here.
 */
class SignatureFuzzTest {

    private static final SignatureSchemes SCHEMES = new SignatureSchemes();
    private static final List<String> KINDS = List.copyOf(SCHEMES.kinds());
    /** Kinds whose credential does not depend on the body. */
    private static final List<String> BODY_NOT_SIGNED = List.of("bearer-token", "static-header-token");
    private static final String URL = "https://hub.example/webhooks/fuzz";
    private static final String SECRET = "fuzz-signing-secret-0123456789";
    /** Standard Webhooks secrets are base64 keys with a whsec_ prefix. */
    private static final String WHSEC = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            SECRET.getBytes(StandardCharsets.UTF_8));
    private static final String SIGNED_BODY = "{\"event\":\"order.created\",\"timestamp\":\"2026-01-01T12:00:00Z\","
            + "\"id\":\"3f2b9c1e\",\"total\":1999}";

    /** Each kind's parameters; timestamp-source alternates body and header kinds by the input. */
    private static Map<String, String> parameters(String kind, boolean headerTimestamp) {
        Map<String, String> p = new TreeMap<>();
        p.put("header", "X-Fuzz-Signature");
        p.put("guid-header", "X-Fuzz-Guid");
        if (kind.equals("hmac-sha256-base64-body-timestamp")) {
            p.put("timestamp-source", headerTimestamp ? "header:X-Fuzz-Timestamp" : "body:timestamp");
        }
        return p;
    }

    private static final List<String> HEADERS = List.of("X-Fuzz-Signature", "X-Fuzz-Guid", "X-Fuzz-Timestamp",
            "Authorization", "webhook-id", "webhook-timestamp", "webhook-signature");

    private static SignatureScheme.Secret secret(String kind) {
        return new SignatureScheme.Secret(kind.equals("standard-webhooks") ? WHSEC : SECRET, Duration.ofMinutes(5));
    }

    /** What HttpFuzzTest's toast-truncated input found: the body's timestamp counts only from a whole JSON object. */
    @org.junit.jupiter.api.Test
    void bodyTimestampIsReadOnlyFromAWholeJsonObject() {
        var read = (java.util.function.Function<String, String>) body -> Schemes.Base64HmacOfBodyAndTimestamp
                .topLevelText(body.getBytes(StandardCharsets.UTF_8), "timestamp");
        assertThat(read.apply("{\"a\":{\"timestamp\":\"x\"},\"timestamp\":\"t1\"}")).isEqualTo("t1");
        assertThat(read.apply("{\"timestamp\":\"t1\",\"lines\":[{\"a\":")).as("truncated").isEmpty();
        assertThat(read.apply("{\"timestamp\":\"t1\",\"timestamp\":\"t2\"}")).as("twice: the last").isEqualTo("t2");
        assertThat(read.apply("{\"timestamp\":42}")).isEmpty();
        assertThat(read.apply("[\"timestamp\"]")).isEmpty();
        // the test signer (a whole-body parser) and the verifier agree on a truncated body
        Map<String, String> params = parameters("hmac-sha256-base64-body-timestamp", false);
        String truncated = SIGNED_BODY.substring(0, SIGNED_BODY.length() - 10);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(WebhookSigner.sign("hmac-sha256-base64-body-timestamp", params, SECRET, truncated, URL));
        assertThat(SCHEMES.create("hmac-sha256-base64-body-timestamp", params).verify(new SignatureScheme.SignedRequest(
                truncated.getBytes(StandardCharsets.UTF_8), headers::get, URL, Instant.now()), secret("x"))).isEmpty();
    }

    @FuzzTest(maxDuration = "2m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void verifyNeverThrows(FuzzedDataProvider data) {
        String kind = KINDS.get(Math.floorMod(data.consumeByte(), KINDS.size()));
        SignatureScheme scheme = SCHEMES.create(kind, parameters(kind, data.consumeBoolean()));
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : HEADERS) {
            if (data.consumeBoolean()) {
                headers.put(name, data.consumeString(200));
            }
        }
        String url = data.consumeBoolean() ? data.consumeString(100) : null;
        byte[] body = data.consumeRemainingAsBytes();
        Optional<String> refusal = scheme.verify(new SignatureScheme.SignedRequest(body, headers::get, url,
                Instant.now()), secret(kind));
        assertThat(refusal).isNotNull();
        refusal.ifPresent(reason -> assertThat(reason).as(kind + ": the reason").isNotBlank());
    }

    @FuzzTest(maxDuration = "2m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void otherBodyNeverVerifies(FuzzedDataProvider data) {
        List<String> signing = KINDS.stream().filter(k -> !BODY_NOT_SIGNED.contains(k)).toList();
        String kind = signing.get(Math.floorMod(data.consumeByte(), signing.size()));
        Map<String, String> params = parameters(kind, data.consumeBoolean());
        SignatureScheme scheme = SCHEMES.create(kind, params);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(WebhookSigner.sign(kind, params, secret(kind).value(), SIGNED_BODY, URL));
        byte[] signedBody = SIGNED_BODY.getBytes(StandardCharsets.UTF_8);
        byte[] body = data.consumeRemainingAsBytes();

        Instant now = Instant.now();
        assertThat(scheme.verify(new SignatureScheme.SignedRequest(signedBody, headers::get, URL, now), secret(kind)))
                .as(kind + ": the signed body itself verifies").isEmpty();
        Optional<String> refusal = scheme.verify(new SignatureScheme.SignedRequest(body, headers::get, URL, now),
                secret(kind));
        if (!Arrays.equals(body, signedBody)) {
            assertThat(refusal).as(kind.toLowerCase(Locale.ROOT) + ": another body with the signature of "
                    + SIGNED_BODY).isPresent();
        }
    }
}
