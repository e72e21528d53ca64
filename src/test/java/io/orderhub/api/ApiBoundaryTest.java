package io.orderhub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderhub.support.HubTestSupport;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Who may call, and what bad input gets: always a 4xx problem detail, never a 500 or a stack trace. */
class ApiBoundaryTest extends HubTestSupport {

    private Map<String, String> headers(String key) {
        return Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json", "Idempotency-Key",
                UUID.randomUUID().toString());
    }

    @Test
    void noCredentialIs401ProblemAndWrongKeyToo() throws Exception {
        Reply none = post("/api/v1/orders", sohoOrder(), Map.of("Content-Type", "application/json",
                "Idempotency-Key", "k"));
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.contentType()).contains("application/problem+json");
        assertThat(none.raw().headers().firstValue("WWW-Authenticate")).contains("Bearer");
        Reply wrong = post("/api/v1/orders", sohoOrder(), headers(KEY.substring(0, KEY.length() - 4) + "XXXX"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(get("/api/v1/orders", null).status()).isEqualTo(401);
    }

    @Test
    void locationOutOfTheClientsScopeIs403() throws Exception {
        Reply r = post("/api/v1/orders", sohoOrder(), headers(OTHER_KEY));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("type").asText()).endsWith("/out-of-scope");

        String id = postOrder(sohoOrder(), UUID.randomUUID().toString()).json().get("orderId").asText();
        assertThat(get("/api/v1/orders/" + id, OTHER_KEY).status()).isEqualTo(403);
        assertThat(get("/api/v1/orders?location=soho", OTHER_KEY).status()).isEqualTo(403);
    }

    @Test
    void channelOutOfScopeIs403() throws Exception {
        Reply r = post("/api/v1/orders", sohoOrder().replace("\"web\"", "\"call_centre\""), headers(KEY));
        assertThat(r.status()).isEqualTo(403);
    }

    @Test
    void malformedJsonIs400Problem() throws Exception {
        Reply r = post("/api/v1/orders", "{\"channel\": \"web\", ", headers(KEY));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).contains("application/problem+json");
        assertThat(r.json().get("type").asText()).endsWith("/malformed-json");
        assertThat(r.body()).doesNotContain("at io.orderhub").doesNotContain("Exception:");
    }

    @Test
    void wrongTypesAndMissingFieldsAre400WithFieldErrors() throws Exception {
        Reply r = post("/api/v1/orders", """
                {"channel": "fax", "locationId": "soho", "type": "pickup", "currency": "gbp", "lines": []}""",
                headers(KEY));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").findValuesAsText("field")).contains("channel", "currency", "lines");
        Reply numbers = post("/api/v1/orders", sohoOrder().replace("\"quantity\": 2", "\"quantity\": \"two\""),
                headers(KEY));
        assertThat(numbers.status()).isEqualTo(400);
    }

    @Test
    void bodyOverTheSizeLimitIs413() throws Exception {
        String huge = sohoOrder().replace("no onions", "x".repeat(300 * 1024));
        Reply r = post("/api/v1/orders", huge, headers(KEY));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.contentType()).contains("application/problem+json");
    }

    @Test
    void jsonNestedDeeperThanTheLimitIs400() throws Exception {
        String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
        Reply r = post("/api/v1/orders", deep, headers(KEY));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("type").asText()).endsWith("/json-too-complex");
    }

    @Test
    void wrongContentTypeIs415Problem() throws Exception {
        Reply r = post("/api/v1/orders", sohoOrder(), Map.of("Authorization", "Bearer " + KEY, "Content-Type",
                "text/plain", "Idempotency-Key", "k-415"));
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.contentType()).contains("application/problem+json");
    }

    @Test
    void unknownFieldsAreRefusedRatherThanIgnored() throws Exception {
        Reply r = post("/api/v1/orders", sohoOrder().replace("\"tip\"", "\"cardNumber\": \"4111\", \"tip\""),
                headers(KEY));
        assertThat(r.status()).isEqualTo(400);
    }

    private static final java.util.Map<String, java.util.List<String>> SEEN = new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void inboundCamelHeadersInAnyCaseNeverReachARoute() throws Exception {
        org.apache.camel.builder.AdviceWith.adviceWith(camel, "pipeline-process", a -> a.weaveAddFirst()
                .process(e -> SEEN.put(e.getMessage().getHeader("orderhubIntakeId", "", String.class),
                        java.util.List.copyOf(e.getMessage().getHeaders().keySet()))));
        HttpRequest request = HttpRequest.newBuilder(uri("/api/v1/orders")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .header("CamelJmsDestinationName", "evil.queue")
                .header("cAmElOverrideEndpoint", "evil")
                .header("CAMELHTTPURI", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(sohoOrder())).build();
        Reply r = send(request);
        assertThat(r.status()).isEqualTo(202);
        String id = r.json().get("orderId").asText();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(stagesDelivered(id, "order.created"))
                .isEqualTo(OWN_PICKUP_STAGES));
        // the message the pipeline consumed carried none of them, in any case
        assertThat(SEEN.get(id)).isNotEmpty().contains("orderhubIntakeId")
                .noneMatch(h -> java.util.Set.of("cameljmsdestinationname", "cameloverrideendpoint", "camelhttpuri")
                        .contains(h.toLowerCase(java.util.Locale.ROOT)));
        assertThat(count("select count(*) from intake where id = ? and state = 'ACCEPTED'", UUID.fromString(id)))
                .isEqualTo(1);
    }

    @Test
    void publishedSchemaAndOpenApiAreServedWithoutLogin() throws Exception {
        Reply schema = get("/schemas/canonical-order-v1.json", null);
        assertThat(schema.status()).isEqualTo(200);
        assertThat(schema.body()).contains("\"title\": \"OrderHub canonical order, version 1\"");
        Reply openApi = get("/v3/api-docs", null);
        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.body()).contains("/api/v1/orders/{id}/status");
        assertThat(get("/actuator/health", null).status()).isEqualTo(200);
        Reply metrics = get("/actuator/prometheus", null);
        assertThat(metrics.body()).contains("orderhub_intake_ack_seconds");
    }
}
