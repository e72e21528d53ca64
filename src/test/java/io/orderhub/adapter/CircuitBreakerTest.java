package io.orderhub.adapter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderhub.support.HubTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A POS outage: the Square sandbox answers 503 to every CreateOrder. The circuit opens after a few failures; while
 * it is open the POS messages wait on their queue (parked, no call made, no delivery attempt spent) instead of
 * burning their attempts into the dead-letter queue; the console's health view shows the circuit open; when Square
 * recovers the circuit closes and every order reaches Square exactly once.
 * (The test suite's Square policy: 4 calls minimum, window 8, 2 s open, 1 half-open probe: HubTestSupport.)
 */
class CircuitBreakerTest extends HubTestSupport {

    private static final int ORDERS = 12;

    @Autowired
    MeterRegistry meters;

    @Test
    void circuitOpensOnAFailingPosAndClosesAfterItRecoversWithEveryOrderDeliveredOnce() throws Exception {
        StubMapping outage = squareSandbox().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/v2/orders")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.order.fulfillments[0].pickup_details.recipient.display_name",
                        equalTo("Breaker Test")))
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody("{\"errors\":[{\"category\":\"API_ERROR\",\"code\":\"SERVICE_UNAVAILABLE\"}]}")));
        double parkedBefore = parked();
        List<UUID> orders = new ArrayList<>();
        try {
            for (int i = 0; i < ORDERS; i++) {
                Reply r = postOrder(brooklynPickup(), UUID.randomUUID().toString());
                assertThat(r.status()).as(r.body()).isEqualTo(202);
                orders.add(UUID.fromString(r.json().path("orderId").asText()));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !"CLOSED".equals(squareCircuit()));
            await().atMost(Duration.ofSeconds(30)).until(() -> parked() > parkedBefore);
            // while Square is down (three open periods and failed probes), no POS message gives up: with the suite's
            // 4 delivery attempts and 100 ms redelivery they would all be dead letters within a second otherwise
            await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(9))
                    .until(() -> deadLettersOf(orders) == 0 && deliveredToPos(orders) == 0);
            assertThat(squareAnswers(orders, 503)).as("calls Square got while down")
                    .isLessThan((long) ORDERS * 4);
            JsonNode health = asViewer("GET", "/api/v1/admin/health", null).json();
            JsonNode square = null;
            for (JsonNode v : health.path("vendors")) {
                if ("square".equals(v.path("adapter").asText())) {
                    square = v;
                }
            }
            assertThat(square).as(health.toString()).isNotNull();
            assertThat(square.path("circuit").asText()).isIn("OPEN", "HALF_OPEN");
            assertThat(square.path("lastFailure").asText()).contains("503");
            if ("OPEN".equals(square.path("circuit").asText())) {
                // (half-open, the breaker has no rate until its probe finishes: it reports -1)
                assertThat(square.path("failureRate").floatValue()).isGreaterThanOrEqualTo(50f);
            }
        } finally {
            squareSandbox().removeStub(outage);
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> deliveredToPos(orders) == ORDERS);
        await().atMost(Duration.ofSeconds(10)).until(() -> "CLOSED".equals(squareCircuit()));
        assertThat(deadLettersOf(orders)).isZero();
        List<Long> created = orders.stream().map(o -> squareAnswers(List.of(o), 200)).toList();
        assertThat(created).as("Square orders created per hub order").containsOnly(1L);
        assertThat(jdbc.queryForObject("select count(*) from stage_delivery where stage = 'pos' and order_id in ("
                + in(orders) + ")", Integer.class)).isEqualTo(ORDERS);
    }

    private String squareCircuit() {
        return adapterRegistry.find("square").orElseThrow().context().api().resilience().state().name();
    }

    private double parked() {
        var counter = meters.find("orderhub.stage.parked").tag("stage", "pos").counter();
        return counter == null ? 0 : counter.count();
    }

    private long squareAnswers(List<UUID> orders, int status) {
        return squareSandbox().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().startsWith("/v2/orders"))
                .filter(e -> e.getResponse().getStatus() == status)
                .filter(e -> orders.stream().anyMatch(o -> e.getRequest().getBodyAsString().contains(o.toString())))
                .count();
    }

    private int deadLettersOf(List<UUID> orders) {
        return count("select count(*) from dead_letter where order_id in (" + in(orders) + ")");
    }

    private int deliveredToPos(List<UUID> orders) {
        return count("select count(*) from stage_delivery where stage = 'pos' and order_id in (" + in(orders) + ")");
    }

    private static String in(List<UUID> ids) {
        return ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
    }

    private static String brooklynPickup() {
        return """
                {"channel": "web", "locationId": "brooklyn", "externalId": "%s", "type": "pickup", "currency": "USD",
                 "lines": [{"itemId": "fries", "quantity": 1, "unitPrice": 499}],
                 "customer": {"name": "Breaker Test", "phone": "+1 718 555 0100"}}
                """.formatted(UUID.randomUUID());
    }
}
