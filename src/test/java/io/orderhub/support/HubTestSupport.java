package io.orderhub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.security.ApiClientStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One running hub for every test class that extends this (one Spring context, cached): real HTTP on a random
 * port, the embedded Artemis broker and H2 on disk in a fresh folder under target/, and the vendor sandboxes
 * (profile "sandbox": each adapter's wiremock/ stubs on a local port). Shorter redelivery delays
 * keep failure tests quick; the policy itself is the production one.
 */
@CamelSpringBootTest
@AutoConfigureObservability
@org.springframework.test.context.ActiveProfiles("sandbox")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "orderhub.reliability.redelivery-delay=100ms",
        "orderhub.reliability.max-redelivery-delay=1s",
        "orderhub.reliability.in-process-delay-ms=10",
        "orderhub.reliability.max-delivery-attempts=4",
        "orderhub.intake.recovery-interval=2s",
        "orderhub.intake.recovery-age=3s",
        "orderhub.outbox.relay-interval=1s",
        "orderhub.outbox.relay-age=1s",
        // console users of the test suite (ConsoleAccess, KDS): passwords test-<role>-pass
        "orderhub.console.users[0].username=viewer",
        "orderhub.console.users[0].password-hash={bcrypt}$2a$10$7K04LLEh.ojyea2QgB8Wju3SLv0VxCpSGJGCZINVOBXhbWPsSeA1i",
        "orderhub.console.users[0].roles=viewer",
        "orderhub.console.users[1].username=ops",
        "orderhub.console.users[1].password-hash={bcrypt}$2a$10$zjovvgbK136bQcEzCdbZfu8CwDRwyvtwMBkEg6kN3bmn9my3/9VO2",
        "orderhub.console.users[1].roles=operator",
        "orderhub.console.users[1].totp-secret=" + HubTestSupport.OPS_TOTP,
        "orderhub.console.users[2].username=admin",
        "orderhub.console.users[2].password-hash={bcrypt}$2a$10$Su7LXnRPrqPjFxLnkWs7POOqKuUpoOrkp8/eOCCMkMBJuvVC.atUq",
        "orderhub.console.users[2].roles=admin",
        "orderhub.console.users[2].totp-secret=" + HubTestSupport.ADMIN_TOTP,
        "orderhub.console.users[3].username=kitchen",
        "orderhub.console.users[3].password-hash={bcrypt}$2a$10$8ABliuzmDuhKwJFlIBfg6.SMhtcVkhBsn7eztCdZ5WQJcPLSG7i1y",
        "orderhub.console.users[3].roles=kitchen",
        // the circuit-breaker drill's vendor opens quickly, tries again soon, and gives up on a call after 2 s
        "orderhub.resilience.vendors.square.minimum-calls=4",
        "orderhub.resilience.vendors.square.sliding-window=8",
        "orderhub.resilience.vendors.square.wait-in-open=2s",
        "orderhub.resilience.vendors.square.half-open-calls=1",
        "orderhub.resilience.vendors.square.timeout=2s"})
public abstract class HubTestSupport {

    public static final String OPS_TOTP = "FJHILFMBK4JJES3RWZKPLNIYC5XQGT6T";
    public static final String ADMIN_TOTP = "XFEL3JS4T4QUAVCXWSTLBMLVFIYLWOCN";
    public static final String KEY = "ohk_testweb_test-key-for-the-test-suite-0001";
    public static final String OTHER_KEY = "ohk_testother_test-key-for-another-brand-0002";
    private static final Path DATA = Path.of("target", "test-data", UUID.randomUUID().toString());

    /** Standard Webhooks secret of the customer-facing app that receives the hub's customer notifications. */
    public static final String CUSTOMER_APP_SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            "test-customer-app-secret-0123456789".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    /**
     * The restaurant's customer-facing app (an external receiver of the hub's outbound webhooks), one for the test
     * JVM: answers 204 to every notification unless a test stubs otherwise.
     */
    protected static final com.github.tomakehurst.wiremock.WireMockServer CUSTOMER_APP =
            new com.github.tomakehurst.wiremock.WireMockServer(com.github.tomakehurst.wiremock.core.WireMockConfiguration
                    .options().bindAddress("127.0.0.1").dynamicPort());

    /** Standard Webhooks secret of the external kitchen displays that receive the hub's KDS webhooks. */
    public static final String KDS_DISPLAY_SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            "test-kds-display-secret-0123456789".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    /**
     * External kitchen displays (receivers of the hub's KDS webhooks), one server for the test JVM: the brooklyn pass
     * screen at /kds/pass (every station) and the brooklyn grill screen at /kds/grill (station grill only); both
     * answer 204 unless a test stubs otherwise.
     */
    protected static final com.github.tomakehurst.wiremock.WireMockServer KDS_DISPLAY =
            new com.github.tomakehurst.wiremock.WireMockServer(com.github.tomakehurst.wiremock.core.WireMockConfiguration
                    .options().bindAddress("127.0.0.1").dynamicPort());

    static {
        KDS_DISPLAY.start();
        KDS_DISPLAY.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/kds/.*")).atPriority(10)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(204)));
        CUSTOMER_APP.start();
        CUSTOMER_APP.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/orderhub/events")
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(204)));
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("orderhub.data-dir", () -> DATA.toAbsolutePath().toString());
        registry.add("orderhub.notifications.webhooks[0].name", () -> "customer-app");
        registry.add("orderhub.notifications.webhooks[0].url", () -> CUSTOMER_APP.baseUrl() + "/orderhub/events");
        registry.add("orderhub.notifications.webhooks[0].secret", () -> CUSTOMER_APP_SECRET);
        registry.add("orderhub.kitchen.webhooks[0].name", () -> "brooklyn-pass");
        registry.add("orderhub.kitchen.webhooks[0].url", () -> KDS_DISPLAY.baseUrl() + "/kds/pass");
        registry.add("orderhub.kitchen.webhooks[0].secret", () -> KDS_DISPLAY_SECRET);
        registry.add("orderhub.kitchen.webhooks[0].locations[0]", () -> "brooklyn");
        registry.add("orderhub.kitchen.webhooks[1].name", () -> "brooklyn-grill");
        registry.add("orderhub.kitchen.webhooks[1].url", () -> KDS_DISPLAY.baseUrl() + "/kds/grill");
        registry.add("orderhub.kitchen.webhooks[1].secret", () -> KDS_DISPLAY_SECRET);
        registry.add("orderhub.kitchen.webhooks[1].locations[0]", () -> "brooklyn");
        registry.add("orderhub.kitchen.webhooks[1].stations[0]", () -> "grill");
    }

    @LocalServerPort
    protected int port;
    @Autowired
    protected ObjectMapper json;
    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected CamelContext camel;
    @Autowired
    private ApiClientStore clients;

    protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void clients() {
        clients.register("test-web", "Test web shop", KEY, "burger-co", List.of("soho", "brooklyn", "chelsea", "queens"),
                List.of("web", "app", "kiosk"));
        clients.register("test-other", "Other brand", OTHER_KEY, "other-co", List.of("elsewhere"), List.of("web"));
    }

    public record Reply(int status, String contentType, String body, JsonNode json, HttpResponse<String> raw) {
    }

    protected Reply post(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return send(b.build());
    }

    protected Reply postOrder(String body, String idempotencyKey) throws Exception {
        return post("/api/v1/orders", body, Map.of("Authorization", "Bearer " + KEY,
                "Content-Type", "application/json", "Idempotency-Key", idempotencyKey));
    }

    protected Reply get(String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return send(b.build());
    }

    protected Reply send(HttpRequest request) throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode node = null;
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (type.contains("json") && !r.body().isEmpty()) {
            node = json.readTree(r.body());
        }
        return new Reply(r.statusCode(), type, r.body(), node, r);
    }

    protected URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A valid own-channel order for the soho location, with a fresh external id. */
    protected String sohoOrder() {
        return Orders.soho(UUID.randomUUID().toString());
    }

    @Autowired
    protected org.springframework.jms.core.JmsTemplate jms;

    /** The messages on a queue (a dead-letter queue, say) matching a JMS selector: body and every property. */
    @SuppressWarnings("unchecked")
    protected List<Map<String, Object>> browse(String queue, String selector) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        jms.browseSelected(queue, selector, (session, browser) -> {
            java.util.Enumeration<?> e = browser.getEnumeration();
            while (e.hasMoreElements()) {
                jakarta.jms.Message m = (jakarta.jms.Message) e.nextElement();
                Map<String, Object> letter = new java.util.HashMap<>();
                letter.put("body", ((jakarta.jms.TextMessage) m).getText());
                for (String name : java.util.Collections.list(
                        (java.util.Enumeration<String>) m.getPropertyNames())) {
                    letter.put(name, m.getObjectProperty(name));
                }
                out.add(letter);
            }
            return null;
        });
        return out;
    }

    protected int count(String sql, Object... args) {
        Integer n = jdbc.queryForObject(sql, Integer.class, args);
        return n == null ? 0 : n;
    }

    /** The stages an own-channel pickup order's creation concerns: no vendor to tell, a customer to confirm. */
    protected static final List<String> OWN_PICKUP_STAGES = List.of("kds", "notifications", "pos");

    /** The stages that recorded the order's events, sorted by name, once per delivery (duplicates show twice). */
    protected List<String> stagesDelivered(Object orderId, String eventType) {
        return jdbc.queryForList("select stage from stage_delivery where order_id = ? and event_type = ? order by stage",
                String.class, orderId instanceof String s ? UUID.fromString(s) : orderId, eventType);
    }

    // ---- console helpers -------------------------------------------------------------------------------------

    /** The current TOTP code of a console user's secret. */
    public static String totp(String secret) {
        return io.orderhub.console.Totp.code(secret, io.orderhub.console.Totp.step(java.time.Instant.now()));
    }

    private static long lastOpsFormStep = -1;

    /**
     * A TOTP code for an operator's form sign-in that no earlier form sign-in of this test JVM used: a code opens
     * one session only, so a second sign-in in the same 30-second step waits for the next code.
     */
    public static synchronized String freshOpsCode() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(40)).until(() ->
                io.orderhub.console.Totp.step(java.time.Instant.now()) != lastOpsFormStep);
        lastOpsFormStep = io.orderhub.console.Totp.step(java.time.Instant.now());
        return io.orderhub.console.Totp.code(OPS_TOTP, lastOpsFormStep);
    }

    /** A console API call with HTTP Basic (and the TOTP header when a secret is given), as scripts make it. */
    protected Reply console(String method, String path, String body, String user, String password, String totpSecret)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (totpSecret != null) {
            b.header(io.orderhub.console.ConsoleAuthentication.TOTP_HEADER, totp(totpSecret));
        }
        return send(b.build());
    }

    protected Reply asOps(String method, String path, String body) throws Exception {
        return console(method, path, body, "ops", "test-operator-pass", OPS_TOTP);
    }

    protected Reply asViewer(String method, String path, String body) throws Exception {
        return console(method, path, body, "viewer", "test-viewer-pass", null);
    }

    /** Square CreateOrder calls that succeeded for this order's creation (its idempotency key per event). */
    protected long squareCreates(UUID order) {
        return squareSandbox().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals("/v2/orders") && e.getResponse().getStatus() == 200)
                .filter(e -> e.getRequest().getBodyAsString().contains("\"idempotency_key\":\"square:order.created:"
                        + order + "\""))
                .count();
    }

    /** The Square sandbox (the POS of both test locations). */
    protected com.github.tomakehurst.wiremock.WireMockServer squareSandbox() {
        return adapterRegistry.sandbox("square").orElseThrow();
    }

    @Autowired
    protected io.orderhub.adapter.AdapterRegistry adapterRegistry;

    /**
     * A soho pickup order whose customer phone Square refuses (the sandbox answers 400 INVALID_PHONE_NUMBER to a
     * phone with letters in it): the order is stored, and its POS delivery becomes a dead letter.
     *
     * @return the order id and the dead letter id
     */
    protected UUID[] orderRefusedByPos(String phone) throws Exception {
        String body = sohoOrder().replace("+44 20 7946 0000", phone);
        Reply r = postOrder(body, UUID.randomUUID().toString());
        org.assertj.core.api.Assertions.assertThat(r.status()).as(r.body()).isEqualTo(202);
        UUID order = UUID.fromString(r.json().path("orderId").asText());
        UUID[] deadLetter = new UUID[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<UUID> ids = jdbc.queryForList("select id from dead_letter where order_id = ? and stage = 'pos'",
                    UUID.class, order);
            org.assertj.core.api.Assertions.assertThat(ids).hasSize(1);
            deadLetter[0] = ids.get(0);
        });
        return new UUID[] {order, deadLetter[0]};
    }

    /** The headers a vendor would send with this body, signed with the adapter's sandbox secret. */
    protected Map<String, String> signedWebhook(io.orderhub.adapter.Adapter adapter, String body) {
        var signature = adapter.descriptor().signature();
        Map<String, String> headers = new java.util.LinkedHashMap<>(io.orderhub.signature.WebhookSigner.sign(
                signature.scheme(), signature.parameters(), adapter.secret().orElseThrow().value(), body,
                adapter.context().setting("notification-url").orElse(null)));
        headers.put("Content-Type", "application/json");
        return headers;
    }

    /**
     * DoorDash's golden brooklyn delivery order (burger + fries) under a fresh DoorDash order id, sent as DoorDash
     * sends it; waits until it is stored.
     *
     * @return the hub's order id
     */
    protected UUID doorDashOrder(String vendorId) throws Exception {
        String key = postDoorDashOrder(vendorId);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "select count(*) from orders where business_key = ?", key) == 1);
        return jdbc.queryForObject("select id from orders where business_key = ?", UUID.class, key);
    }

    /** Sends DoorDash's order webhook (sample delivery-asap-tip) for this vendor order id; returns its business key. */
    protected String postDoorDashOrder(String vendorId) throws Exception {
        String body = java.nio.file.Files.readString(java.nio.file.Path.of(
                "adapters/doordash/samples/delivery-asap-tip.input.json"))
                .replace("3f2b9c1e-6d7a-4e58-9b0c-1a2d3e4f5a61", vendorId);
        Reply r = post("/webhooks/doordash", body, signedWebhook(adapterRegistry.find("doordash").orElseThrow(), body));
        org.assertj.core.api.Assertions.assertThat(r.status()).as(r.body()).isBetween(200, 299);
        return "doordash:order:" + vendorId;
    }
}
