package io.orderhub.signature;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.orderhub.support.FuzzTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes every signature scheme kind {@link SignatureSchemes} knows (docs/reliability.md, "Fuzzing"):
 * <ul>
 * <li>{@link #verifyNeverThrows}: fuzzed headers (any name, present or not, any text), body and notification URL;
 * verify answers "authentic" or a reason, and never throws;</li>
 * <li>{@link #otherBodyNeverVerifies}: a request signed as the vendor signs it (WebhookSigner, written apart from the
 * verifiers) for one body, with the fuzzed body in its place, is refused, unless the fuzzed body is that body.
 * Schemes that do not sign the body (a bearer token, a static header code) are left out of this one: any body
 * verifies with them by design.</li>
 * </ul>
 * An input names its target in a first line ({@link FuzzTarget}): a scheme kind, built with the parameters below, or
 * {@link #HEADER_TIMESTAMP} (Toast's kind with the timestamp in a header instead of the body). Without such a line
 * its first byte picks the target, so a long fuzzing run reaches them all and kinds added later are fuzzed without a
 * change here; {@code -Dorderhub.fuzz.scheme=<target>} pins one. The rest of the input:
 * <ul>
 * <li>for {@link #verifyNeverThrows}, a request: header lines {@code name: value} (the first ": " or ":" separates;
 * a line without a colon is a header with an empty value; bytes decoded ISO-8859-1 and the first of a repeated name
 * taken, as the servlet container does), an empty line, then the body's raw bytes. The pseudo-header {@link #URL_LINE}
 * replaces the notification URL ({@link #URL} otherwise; empty: none configured). Received at {@link #AT}, so
 * timestamps in committed inputs stay as fresh or as stale as they were written;</li>
 * <li>for {@link #otherBodyNeverVerifies}, the body's raw bytes.</li>
 * </ul>
 * {@link #everyTargetHasRegressionInputs} fails when a target, so a kind known to the hub, has fewer than
 * {@link #MIN_INPUTS} committed regression inputs naming it for either property.
 */
class SignatureFuzzTest {

    private static final SignatureSchemes SCHEMES = new SignatureSchemes();
    private static final String BODY_TIMESTAMP = "hmac-sha256-base64-body-timestamp";
    /** The one variant target: a kind's name, "+", what differs from that kind's parameters below. */
    private static final String HEADER_TIMESTAMP = BODY_TIMESTAMP + "+header";
    /** Every kind and the variant, sorted: the first-byte choice stays stable while the kinds do. */
    private static final List<String> TARGETS = Stream.concat(SCHEMES.kinds().stream(), Stream.of(HEADER_TIMESTAMP))
            .sorted().toList();
    /** Kinds whose credential does not depend on the body. */
    private static final List<String> BODY_NOT_SIGNED = List.of("bearer-token", "static-header-token");
    private static final List<String> SIGNING = TARGETS.stream().filter(t -> !BODY_NOT_SIGNED.contains(kind(t)))
            .toList();
    private static final String VERIFY = "verifyNeverThrows";
    /** Each property's targets; every one needs committed regression inputs. */
    private static final Map<String, List<String>> PROPERTIES = Map.of(VERIFY, TARGETS,
            "otherBodyNeverVerifies", SIGNING);
    private static final int MIN_INPUTS = 5;
    /** The committed inputs of {@link #verifyNeverThrows} with this name suffix are signed right: they verify. */
    private static final String AUTHENTIC = ".authentic";
    private static final String PIN = "orderhub.fuzz.scheme";

    private static final String SIGNATURE_HEADER = "X-Fuzz-Signature";
    private static final String TIMESTAMP_HEADER = "X-Fuzz-Timestamp";
    private static final String URL_LINE = ":url";
    private static final String URL = "https://hub.example/webhooks/fuzz";
    private static final Instant AT = Instant.parse("2026-01-01T12:00:00Z");
    private static final String SECRET = "fuzz-signing-secret-0123456789";
    /** Standard Webhooks secrets are base64 keys with a whsec_ prefix. */
    private static final String WHSEC = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            SECRET.getBytes(StandardCharsets.UTF_8));
    private static final String SIGNED_BODY = "{\"event\":\"order.created\",\"timestamp\":\"" + AT + "\","
            + "\"id\":\"3f2b9c1e\",\"total\":1999}";

    private static String kind(String target) {
        return target.split("\\+", 2)[0];
    }

    /** A target's parameters: its kind's, the timestamp in the body (as Toast has it) or, for the variant, a header. */
    private static Map<String, String> parameters(String target) {
        Map<String, String> p = new TreeMap<>();
        p.put("header", SIGNATURE_HEADER);
        p.put("guid-header", "X-Fuzz-Guid");
        if (kind(target).equals(BODY_TIMESTAMP)) {
            p.put("timestamp-source", target.equals(HEADER_TIMESTAMP) ? "header:" + TIMESTAMP_HEADER
                    : "body:timestamp");
        }
        return p;
    }

    private static SignatureScheme.Secret secret(String kind) {
        return new SignatureScheme.Secret(kind.equals("standard-webhooks") ? WHSEC : SECRET, Duration.ofMinutes(5));
    }

    /** A {@link #verifyNeverThrows} request as an input's bytes give it (see the class comment). */
    private record Request(Map<String, String> headers, String url, byte[] body) {

        static Request of(byte[] bytes) {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            String url = URL;
            int at = 0;
            while (at < bytes.length && bytes[at] != '\n') {
                int end = at;
                while (end < bytes.length && bytes[end] != '\n') {
                    end++;
                }
                String line = new String(bytes, at, end - at, StandardCharsets.ISO_8859_1);
                int colon = line.indexOf(':', 1);
                String name = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(line.startsWith(": ", colon) ? colon + 2 : colon + 1);
                if (name.equals(URL_LINE)) {
                    url = value.isEmpty() ? null : value;
                } else {
                    headers.putIfAbsent(name, value);
                }
                at = end + 1;
            }
            return new Request(headers, url, Arrays.copyOfRange(bytes, Math.min(at + 1, bytes.length), bytes.length));
        }

        Optional<String> verify(String target) {
            return SCHEMES.create(kind(target), parameters(target)).verify(new SignatureScheme.SignedRequest(body,
                    headers::get, url, AT), secret(kind(target)));
        }
    }

    /** What HttpFuzzTest's toast-truncated input found: the body's timestamp counts only from a whole JSON object. */
    @Test
    void bodyTimestampIsReadOnlyFromAWholeJsonObject() {
        var read = (java.util.function.Function<String, String>) body -> Schemes.Base64HmacOfBodyAndTimestamp
                .topLevelText(body.getBytes(StandardCharsets.UTF_8), "timestamp");
        assertThat(read.apply("{\"a\":{\"timestamp\":\"x\"},\"timestamp\":\"t1\"}")).isEqualTo("t1");
        assertThat(read.apply("{\"timestamp\":\"t1\",\"lines\":[{\"a\":")).as("truncated").isEmpty();
        assertThat(read.apply("{\"timestamp\":\"t1\",\"timestamp\":\"t2\"}")).as("twice: the last").isEqualTo("t2");
        assertThat(read.apply("{\"timestamp\":42}")).isEmpty();
        assertThat(read.apply("[\"timestamp\"]")).isEmpty();
        // the test signer (a whole-body parser) and the verifier agree on a truncated body
        Map<String, String> params = parameters(BODY_TIMESTAMP);
        String truncated = SIGNED_BODY.substring(0, SIGNED_BODY.length() - 10);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(WebhookSigner.sign(BODY_TIMESTAMP, params, SECRET, truncated, URL));
        assertThat(SCHEMES.create(BODY_TIMESTAMP, params).verify(new SignatureScheme.SignedRequest(
                truncated.getBytes(StandardCharsets.UTF_8), headers::get, URL, Instant.now()), secret("x"))).isEmpty();
    }

    /**
     * Every target (so every kind known to the hub) has at least {@link #MIN_INPUTS} committed regression inputs per
     * property, named in their first line; every committed input names one (a {@code crash-*} file Jazzer wrote may
     * not); and the {@link #AUTHENTIC} ones verify, so the committed inputs reach each verifier's "authentic" too.
     */
    @Test
    void everyTargetHasRegressionInputs() throws Exception {
        assertThat(TARGETS.stream().map(SignatureFuzzTest::kind)).as("targets").containsAll(SCHEMES.kinds());
        assertThat(Arrays.stream(SignatureFuzzTest.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(FuzzTest.class)).map(java.lang.reflect.Method::getName))
                .as("fuzz tests with their targets").containsExactlyInAnyOrderElementsOf(PROPERTIES.keySet());
        for (var property : PROPERTIES.entrySet()) {
            Map<String, Integer> perTarget = new TreeMap<>();
            property.getValue().forEach(t -> perTarget.put(t, 0));
            for (Path file : inputs(property.getKey())) {
                byte[] input = Files.readAllBytes(file);
                Optional<String> target = FuzzTarget.named(input, property.getValue());
                assertThat(target.isPresent() || file.getFileName().toString().startsWith("crash-"))
                        .as(property.getKey() + "/" + file.getFileName() + " names a target in its first line")
                        .isTrue();
                target.ifPresent(t -> perTarget.merge(t, 1, Integer::sum));
            }
            assertThat(perTarget).as(property.getKey() + ": committed inputs per target")
                    .allSatisfy((t, n) -> assertThat(n).as(t).isGreaterThanOrEqualTo(MIN_INPUTS));
        }
        for (Path file : inputs(VERIFY)) {
            byte[] input = Files.readAllBytes(file);
            Optional<String> target = FuzzTarget.named(input, TARGETS);
            if (target.isPresent() && file.getFileName().toString().endsWith(AUTHENTIC)) {
                byte[] request = Arrays.copyOfRange(input, target.get().length() + 1, input.length);
                assertThat(Request.of(request).verify(target.get())).as(file.getFileName() + " verifies").isEmpty();
            }
        }
    }

    /** A property's committed regression inputs (Jazzer's folder for them on the test classpath). */
    private static List<Path> inputs(String property) throws Exception {
        var folder = SignatureFuzzTest.class.getResource(SignatureFuzzTest.class.getSimpleName() + "Inputs/"
                + property);
        assertThat(folder).as(property + ": regression inputs").isNotNull();
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            return files.sorted().toList();
        }
    }

    @FuzzTest(maxDuration = "2m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void verifyNeverThrows(byte[] input) {
        FuzzTarget target = FuzzTarget.of(input, TARGETS, PIN);
        Optional<String> refusal = Request.of(target.bytes()).verify(target.id());
        assertThat(refusal).isNotNull();
        refusal.ifPresent(reason -> assertThat(reason).as(target.id() + ": the reason").isNotBlank());
    }

    @FuzzTest(maxDuration = "2m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void otherBodyNeverVerifies(byte[] input) {
        FuzzTarget target = FuzzTarget.of(input, SIGNING, PIN);
        String kind = kind(target.id());
        Map<String, String> params = parameters(target.id());
        SignatureScheme scheme = SCHEMES.create(kind, params);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(WebhookSigner.sign(kind, params, secret(kind).value(), SIGNED_BODY, URL));
        byte[] signedBody = SIGNED_BODY.getBytes(StandardCharsets.UTF_8);
        byte[] body = target.bytes();

        Instant now = Instant.now();
        assertThat(scheme.verify(new SignatureScheme.SignedRequest(signedBody, headers::get, URL, now), secret(kind)))
                .as(target.id() + ": the signed body itself verifies").isEmpty();
        Optional<String> refusal = scheme.verify(new SignatureScheme.SignedRequest(body, headers::get, URL, now),
                secret(kind));
        if (!Arrays.equals(body, signedBody)) {
            assertThat(refusal).as(target.id().toLowerCase(Locale.ROOT) + ": another body with the signature of "
                    + SIGNED_BODY).isPresent();
        }
    }
}
