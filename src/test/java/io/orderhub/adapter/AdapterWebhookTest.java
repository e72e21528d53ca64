package io.orderhub.adapter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.order.OrderEvent;
import io.orderhub.pipeline.Headers;
import io.orderhub.support.HubTestSupport;
import io.orderhub.signature.WebhookSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The must-haves of every adapter folder, found by itself, through the running hub (real HTTP, broker, database) with
 * the vendor's API served by the adapter's own wiremock/ stubs. For each adapter, with its first sample that is a
 * new order:
 * <ol>
 * <li>no signature, or one made with another secret: 401 and nothing stored;</li>
 * <li>the vendor's status endpoint for that order answers 503 twice, then as its stub does; the webhook is sent 3
 * times at once: every send is answered with the vendor's ack, there is exactly one order with the sample's total,
 * and the vendor is told once (2 failed calls + 1 success, with the adapter's auth), recorded once;</li>
 * <li>the same webhook again later: answered as success, still one order, one stored payload;</li>
 * <li>a signed payload the adapter cannot map: acknowledged (it is durable), then dead-lettered from the intake
 * stage with the original payload and a reason;</li>
 * <li>each {@code samples/*.unreadable.json}: dead-lettered, and the vendor told once with the adapter's refusal.</li>
 * </ol>
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class AdapterWebhookTest extends HubTestSupport {

    @Autowired
    AdapterRegistry registry;

    @Autowired
    AdapterPolling polling;

    /**
     * The polling fallback of every adapter whose sandbox has something to poll: each polled payload is stored once
     * under its event key (a second round stores nothing new), reaches an outcome, and the cursor is kept. Runs after
     * the webhook must-haves, whose sample orders a sandbox's poll may also offer.
     */
    @org.junit.jupiter.api.Order(2)
    @TestFactory
    List<DynamicNode> pollingFallback() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (Adapter adapter : registry.all()) {
            List<String> offered = adapter.vendor().poll(null, adapter.context()).payloads();
            if (offered.isEmpty()) {
                continue;
            }
            nodes.add(DynamicTest.dynamicTest(adapter.id() + " polled events are stored once", () -> {
                polling.poll(adapter.id());
                assertThat(polling.poll(adapter.id())).as("new payloads in a second round").isZero();
                for (String payload : offered) {
                    String key = adapter.vendor().eventKey(new VendorAdapter.Webhook(payload, json.readTree(payload),
                            h -> null)).map(k -> "event:" + k).orElseThrow();
                    assertThat(count("select count(*) from intake where source = ? and idempotency_key = ?",
                            adapter.id(), key)).as(key).isEqualTo(1);
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(count(
                            "select count(*) from intake where source = ? and idempotency_key = ? and state <> "
                                    + "'RECEIVED'", adapter.id(), key)).isEqualTo(1));
                }
                assertThat(count("select count(*) from adapter_cursor where adapter = ?", adapter.id())).isEqualTo(1);
            }));
        }
        return nodes;
    }

    @org.junit.jupiter.api.Order(1)
    @TestFactory
    List<DynamicNode> everyAdapter() throws Exception {
        List<DynamicNode> nodes = new ArrayList<>();
        for (Adapter adapter : registry.all()) {
            if (!adapter.takesEventsIn()) {
                // outbound-only adapters (a POS that is only written to) have no webhook to test here
                continue;
            }
            Optional<Path> happy = firstOrderSample(adapter.id());
            if (happy.isEmpty()) {
                nodes.add(DynamicTest.dynamicTest(adapter.id() + " has an order sample", () ->
                        assertThat(happy).as("adapters/" + adapter.id() + "/samples: no input translating to an order")
                                .isPresent()));
                continue;
            }
            Path input = happy.get();
            JsonNode canonical = json.readTree(Path.of(input.toString().replace(".input.json", ".canonical.json"))
                    .toFile());
            String body = Files.readString(input);
            nodes.add(DynamicContainer.dynamicContainer(adapter.id(), List.of(
                    DynamicTest.dynamicTest("bad or missing signature: 401, nothing stored",
                            () -> refusesUnsigned(adapter, body)),
                    DynamicTest.dynamicTest("3 concurrent sends, vendor 503 twice: one order, told once",
                            () -> oneOrderToldOnce(adapter, body, canonical)),
                    DynamicTest.dynamicTest("replayed webhook: success, still one order",
                            () -> replayIsOneOrder(adapter, body, canonical)),
                    DynamicTest.dynamicTest("unmappable payload: dead letter with the original payload",
                            () -> unmappableIsDeadLettered(adapter)),
                    DynamicTest.dynamicTest("payload given up on: the vendor is told (where it has a refusal)",
                            () -> givenUpOnIsRefused(adapter)))));
        }
        return nodes;
    }

    private void refusesUnsigned(Adapter adapter, String body) throws Exception {
        int before = count("select count(*) from intake where source = ?", adapter.id());
        Reply none = post("/webhooks/" + adapter.id(), body, Map.of("Content-Type", "application/json"));
        assertThat(none.status()).isEqualTo(401);
        Reply forged = post("/webhooks/" + adapter.id(), body, signed(adapter, body, "not-the-secret-0123456789"));
        assertThat(forged.status()).isEqualTo(401);
        assertThat(count("select count(*) from intake where source = ?", adapter.id())).isEqualTo(before);
    }

    private void oneOrderToldOnce(Adapter adapter, String body, JsonNode canonical) throws Exception {
        String vendorOrderId = vendorOrderId(adapter, canonical);
        CanonicalOrder expected = json.treeToValue(canonical, CanonicalOrder.class);
        Optional<VendorCall> told = adapter.vendor().statusCall(OrderEvent.created(expected), adapter.context());
        if (told.isEmpty() && adapter.descriptor().kind() != AdapterDescriptor.Kind.POS) {
            throw new AssertionError(adapter.id() + " tells the vendor nothing when it takes an order");
        }
        // a POS's own orders (rung up at its register) need no acceptance: then "one order" is all there is to check
        VendorCall call = told.orElse(null);
        WireMockServer vendor = registry.sandbox(adapter.id()).orElseThrow();
        // the vendor's base URL may carry a path of its own (.../marketplace/api/v1)
        String path = call == null ? null
                : java.net.URI.create(adapter.context().requiredSetting("base-url")).getPath() + call.path();
        if (call != null) {
        vendor.stubFor(request(call.method(), urlPathEqualTo(path)).atPriority(1).inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(503))
                .willSetStateTo("failed once"));
        vendor.stubFor(request(call.method(), urlPathEqualTo(path)).atPriority(1).inScenario("flaky")
                .whenScenarioStateIs("failed once").willReturn(aResponse().withStatus(503))
                .willSetStateTo("recovered"));
        }

        // a vendor's retry is the same request: same body, same signature headers (sequence guid included)
        Map<String, String> headers = signedOnce(adapter, body);
        List<CompletableFuture<Reply>> sends = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sends.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return post("/webhooks/" + adapter.id(), body, headers);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        int ack = adapter.descriptor().ack() == null ? 200 : adapter.descriptor().ack().statusOr200();
        for (CompletableFuture<Reply> send : sends) {
            assertThat(send.get().status()).isEqualTo(ack);
        }
        String key = adapter.id() + ":order:" + vendorOrderId;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(count("select count(*) from orders where business_key = ?", key)).isEqualTo(1));
        UUID orderId = jdbc.queryForObject("select id from orders where business_key = ?", UUID.class, key);
        assertThat(jdbc.queryForObject("select total_minor from orders where id = ?", Long.class, orderId))
                .isEqualTo(expected.charges().total().amount());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(count(
                "select count(*) from stage_delivery where stage = 'channel-status' and event_id = ?",
                "order.created:" + orderId)).isEqualTo(1));
        if (call == null) {
            return;
        }
        List<LoggedRequest> calls = vendor.findAll(RequestPatternBuilder.newRequestPattern(
                RequestMethod.fromString(call.method()), urlPathEqualTo(path)));
        assertThat(calls).as("calls to " + call.method() + " " + path).hasSize(3);
        assertThat(calls.get(2).getHeader("Idempotency-Key")).isEqualTo(calls.get(0).getHeader("Idempotency-Key"));
        if (!"none".equals(adapter.descriptor().outbound().auth().getOrDefault("scheme", "none"))) {
            assertThat(calls).allSatisfy(r -> assertThat(r.getHeader("Authorization")).isNotBlank());
        }
    }

    private void replayIsOneOrder(Adapter adapter, String body, JsonNode canonical) throws Exception {
        String key = adapter.id() + ":order:" + vendorOrderId(adapter, canonical);
        int stored = count("select count(*) from intake where source = ?", adapter.id());
        Reply again = post("/webhooks/" + adapter.id(), body, signedOnce(adapter, body));
        assertThat(again.status()).isBetween(200, 299);
        assertThat(count("select count(*) from orders where business_key = ?", key)).isEqualTo(1);
        assertThat(count("select count(*) from intake where source = ?", adapter.id())).isEqualTo(stored);
    }

    private void unmappableIsDeadLettered(Adapter adapter) throws Exception {
        String body = "{\"orderhubTest\":\"not a " + adapter.id() + " payload " + UUID.randomUUID() + "\"}";
        Reply reply = post("/webhooks/" + adapter.id(), body, signed(adapter, body, secret(adapter)));
        assertThat(reply.status()).isBetween(200, 299);
        List<Map<String, Object>> letters = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            letters.clear();
            letters.addAll(deadLetters("DLQ.orderhub.intake", adapter.id()));
            assertThat(letters).anySatisfy(l -> assertThat(l.get("body")).isEqualTo(body));
        });
        Map<String, Object> letter = letters.stream().filter(l -> body.equals(l.get("body"))).findFirst().orElseThrow();
        assertThat((String) letter.get(Headers.DEAD_LETTER_REASON)).isNotBlank();
        assertThat(count("select count(*) from intake where source = ? and payload = ? and state = 'FAILED' "
                + "and reason is not null", adapter.id(), body)).isEqualTo(1);
    }

    private void givenUpOnIsRefused(Adapter adapter) throws Exception {
        Path samples = Path.of("adapters", adapter.id(), "samples");
        List<Path> unreadable;
        try (Stream<Path> s = Files.list(samples)) {
            unreadable = s.filter(p -> p.toString().endsWith(".unreadable.json")).sorted().toList();
        }
        for (Path sample : unreadable) {
            String body = Files.readString(sample);
            JsonNode refusal = json.readTree(Path.of(sample.toString().replace(".unreadable.json", ".refusal.json"))
                    .toFile());
            assertThat(post("/webhooks/" + adapter.id(), body, signedOnce(adapter, body)).status()).isBetween(200, 299);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(count(
                    "select count(*) from intake where source = ? and payload = ? and state = 'FAILED'", adapter.id(),
                    body)).isEqualTo(1));
            if (refusal.has("path")) {
                String path = java.net.URI.create(adapter.context().requiredSetting("base-url")).getPath()
                        + refusal.get("path").asText();
                WireMockServer vendor = registry.sandbox(adapter.id()).orElseThrow();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(vendor.findAll(
                        RequestPatternBuilder.newRequestPattern(RequestMethod.fromString(refusal.get("method").asText()),
                                urlPathEqualTo(path)))).hasSize(1));
            }
        }
    }

    private Map<String, String> signed(Adapter adapter, String body, String secret) {
        var signature = adapter.descriptor().signature();
        Map<String, String> headers = new LinkedHashMap<>(WebhookSigner.sign(signature.scheme(),
                signature.parameters(), secret, body, adapter.context().setting("notification-url").orElse(null)));
        headers.put("Content-Type", "application/json");
        return headers;
    }

    private final Map<String, Map<String, String>> signatures = new java.util.concurrent.ConcurrentHashMap<>();

    private Map<String, String> signedOnce(Adapter adapter, String body) {
        return signatures.computeIfAbsent(adapter.id() + body, k -> signed(adapter, body, secret(adapter)));
    }

    private static String secret(Adapter adapter) {
        return adapter.secret().orElseThrow().value();
    }

    private static String vendorOrderId(Adapter adapter, JsonNode canonical) {
        for (JsonNode id : canonical.path("externalIds")) {
            if (adapter.id().equals(id.path("system").asText())) {
                return id.path("id").asText();
            }
        }
        throw new AssertionError("canonical sample has no external id of " + adapter.id());
    }

    private Optional<Path> firstOrderSample(String id) throws Exception {
        Path samples = Path.of("adapters", id, "samples");
        if (!Files.isDirectory(samples)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(samples)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".input.json")).sorted().toList()) {
                Path canonical = Path.of(p.toString().replace(".input.json", ".canonical.json"));
                if (Files.exists(canonical) && json.readTree(canonical.toFile()).has("schemaVersion")) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    private List<Map<String, Object>> deadLetters(String queue, String source) {
        return browse(queue, Headers.SOURCE + " = '" + source + "'");
    }
}
