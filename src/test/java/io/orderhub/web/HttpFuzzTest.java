package io.orderhub.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.orderhub.adapter.Adapter;
import io.orderhub.observability.Correlation;
import io.orderhub.support.FuzzTarget;
import io.orderhub.support.HubTestSupport;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile bodies through the running hub, over real HTTP (Jazzer; docs/reliability.md, "Fuzzing"): the answer is 2xx
 * or 4xx, never 5xx, and whatever the hub took in ends with a stored reason.
 * <ul>
 * <li>{@link #ownChannelOrder}: fuzzed bytes as {@code POST /api/v1/orders} with a valid API key. A 4xx is an RFC 9457
 * problem; a 202's intake leaves {@code RECEIVED} (accepted, or failed / rejected with a reason).</li>
 * <li>{@link #vendorWebhook}: fuzzed bytes as {@code POST /webhooks/<adapter>}, signed as the vendor signs them (so
 * the body gets past the signature check to the translator). Once acknowledged, every intake the webhook made (found
 * by the answer's correlation id) leaves {@code RECEIVED}; one that needed nothing, could not be translated or was
 * rejected carries its reason. A webhook whose event key the hub already has is a vendor retry and stores nothing.
 * The adapter: a first line naming it, else the first byte ({@link FuzzTarget}).</li>
 * </ul>
 * The shared hub (HubTestSupport) makes the first input slow; each further one takes milliseconds.
 */
class HttpFuzzTest extends HubTestSupport {

    private static final Duration SETTLE = Duration.ofSeconds(30);

    @FuzzTest(maxDuration = "2m")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void ownChannelOrder(byte[] body) throws Exception {
        try (var loopback = FuzzTarget.loopbackOnly()) {
            postOwnChannel(body);
        }
    }

    private void postOwnChannel(byte[] body) throws Exception {
        Reply r = send(HttpRequest.newBuilder(uri("/api/v1/orders")).timeout(SETTLE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString()).build());
        assertThat(r.status()).as("answer to %s", r.body()).isBetween(200, 499);
        if (r.status() >= 400) {
            assertThat(r.contentType()).as("a 4xx is a problem").startsWith("application/problem+json");
            assertThat(r.json().path("status").asInt()).isEqualTo(r.status());
            assertThat(r.json().path("title").asText()).isNotBlank();
            return;
        }
        assertThat(r.status()).isEqualTo(202);
        UUID intake = UUID.fromString(r.json().path("orderId").asText());
        await().atMost(SETTLE).untilAsserted(() -> assertSettledWithReason(
                jdbc.queryForList("select state, reason from intake where id = ?", intake), 1));
    }

    @FuzzTest(maxDuration = "2m")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void vendorWebhook(byte[] input) throws Exception {
        try (var loopback = FuzzTarget.loopbackOnly()) {
            postWebhook(input);
        }
    }

    private void postWebhook(byte[] input) throws Exception {
        List<String> ids = adapterRegistry.all().stream().filter(Adapter::takesEventsIn).map(Adapter::id).sorted()
                .toList();
        FuzzTarget target = FuzzTarget.of(input, ids);
        Adapter adapter = adapterRegistry.find(target.id()).orElseThrow();
        // signed over the text the hub will read: the bytes as UTF-8 (malformed sequences replaced)
        String body = target.body();
        Reply r = post("/webhooks/" + adapter.id(), body, signedWebhook(adapter, body));
        assertThat(r.status()).as(adapter.id() + " answer to a signed body").isBetween(200, 299);
        String correlation = r.raw().headers().firstValue(Correlation.HTTP_HEADER).orElseThrow();
        await().atMost(SETTLE).untilAsserted(() -> assertSettledWithReason(jdbc.queryForList(
                "select state, reason from intake where source = ? and correlation_id = ?", adapter.id(),
                correlation), 0));
    }

    /** Every intake has left RECEIVED, and any that did not become an order says why. */
    private static void assertSettledWithReason(List<Map<String, Object>> intakes, int atLeast) {
        assertThat(intakes).hasSizeGreaterThanOrEqualTo(atLeast);
        for (Map<String, Object> intake : intakes) {
            String state = String.valueOf(intake.get("STATE"));
            assertThat(state).as("intake state").isNotEqualTo("RECEIVED");
            if (!state.equals("ACCEPTED") && !state.equals("DUPLICATE")) {
                assertThat((String) intake.get("REASON")).as(state + " intake: its reason").isNotBlank();
            }
        }
    }
}
