package io.orderhub.adapter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
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
 * A POS outage, two ways: the Square sandbox answers 503 to every CreateOrder, or it answers too late (after the
 * hub's time limit for Square, so the hub gives up on calls Square may have carried out). The circuit opens after a
 * few failures; while it is open the POS messages wait on their queue (parked, no call made, no delivery attempt
 * spent) instead of burning their attempts into the dead-letter queue; the console's health view shows the circuit
 * open and why; when Square recovers the circuit closes and every order reaches Square under one idempotency key
 * and is delivered to the POS stage exactly once.
 * (The test suite's Square policy: 4 calls minimum, window 8, 2 s open, 1 half-open probe, 2 s time limit:
 * HubTestSupport.)
 */
class CircuitBreakerTest extends HubTestSupport {

    private static final int ORDERS = 12;

    @Autowired
    MeterRegistry meters;

    @Test
    void circuitOpensOnAFailingPosAndClosesAfterItRecoversWithEveryOrderDeliveredOnce() throws Exception {
        List<UUID> orders = outage("Breaker Test", aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"errors\":[{\"category\":\"API_ERROR\",\"code\":\"SERVICE_UNAVAILABLE\"}]}"), "503");
        assertThat(squareCalls(orders, 503)).as("calls Square refused while down").isPositive();
        List<Long> created = orders.stream().map(o -> squareCalls(List.of(o), 200)).toList();
        assertThat(created).as("Square orders created per hub order").containsOnly(1L);
    }

    @Test
    void circuitOpensOnAPosThatAnswersTooLateAndEveryOrderKeepsOneIdempotencyKey() throws Exception {
        // Square carries the order out but answers after the hub stopped waiting: the hub cannot know, so it calls
        // again under the same key, which Square answers with the order it already made
        List<UUID> orders = outage("Slow Square Test", aResponse().withStatus(200).withFixedDelay(3_500)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"order\":{\"id\":\"SLOWSQUARE0000000000000000001\",\"state\":\"OPEN\",\"version\":1}}"),
                "timed out");
        for (UUID order : orders) {
            List<String> keys = squareRequests(List.of(order)).stream().map(this::idempotencyKey).distinct().toList();
            assertThat(keys).as("idempotency keys sent to Square for order %s", order).hasSize(1);
            assertThat(keys.get(0)).isNotBlank();
        }
        assertThat(orders.stream().mapToLong(o -> squareCalls(List.of(o), 200)).sum())
                .as("CreateOrder calls, counting the ones the hub gave up on").isGreaterThan(ORDERS);
    }

    /**
     * A poison for one vendor that looks transient, during service: Square answers 500 to one order, every time, and
     * takes every other, and orders keep coming. The poison's failures trip the circuit (the suite's Square policy
     * opens after 4 calls at 50 %), which holds the other orders back for an open period without costing them an
     * attempt; their trial calls succeed and close it. The poison lands in the POS stage's dead-letter queue after
     * exactly the configured attempts, with Square's answer as the reason, and every other order reaches Square once.
     * (With no other order coming: the next test.)
     */
    @Test
    void onePoisonOrderTrippingTheCircuitIsDeadLetteredAfterItsAttemptsWhileTheOthersReachThePos() throws Exception {
        StubMapping poison = squareAnswers500To("Poison Test");
        List<UUID> healthy = new ArrayList<>();
        try {
            Reply bad = postOrder(brooklynPickup("Poison Test"), UUID.randomUUID().toString());
            assertThat(bad.status()).as(bad.body()).isEqualTo(202);
            UUID poisoned = UUID.fromString(bad.json().path("orderId").asText());
            // a healthy order about every 250 ms until the poison is a dead letter (20-40 s in the runs so far;
            // bounded: at most 600 orders)
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250)).until(() -> {
                Reply r = postOrder(brooklynPickup("Healthy Test"), UUID.randomUUID().toString());
                assertThat(r.status()).as(r.body()).isEqualTo(202);
                healthy.add(UUID.fromString(r.json().path("orderId").asText()));
                return deadLettersOf(List.of(poisoned)) == 1;
            });
            var letter = jdbc.queryForMap("select stage, attempts, reason from dead_letter where order_id = ?",
                    poisoned);
            assertThat(letter.get("stage")).isEqualTo("pos");
            assertThat(((Number) letter.get("attempts")).intValue()).as("attempts when dead-lettered")
                    .isEqualTo(4);
            assertThat((String) letter.get("reason")).contains("answered 500");
            assertThat(deliveredToPos(List.of(poisoned))).isZero();
        } finally {
            squareSandbox().removeStub(poison);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> deliveredToPos(healthy) == healthy.size());
        assertThat(healthy.stream().map(o -> squareCalls(List.of(o), 200)).toList())
                .as("Square orders created per healthy order").containsOnly(1L);
        assertThat(deadLettersOf(healthy)).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> "CLOSED".equals(squareCircuit()));
    }

    /**
     * The same poison at a quiet hour: no other order comes, so every failure of the poison opens the circuit (or
     * fails its half-open trial). While Square fails its health check too (ListLocations answers 503: Square is
     * down, as far as the hub can tell), those failures cost no attempt and the poison is not a dead letter however
     * many open periods it waits; once Square answers its health check, each of them counts, and the poison is a
     * dead letter after exactly the configured attempts with Square's answer as its reason.
     */
    @Test
    void aPoisonAloneAtAQuietHourIsDeadLetteredOnceSquareAnswersItsHealthCheck() throws Exception {
        StubMapping poison = squareAnswers500To("Quiet Poison Test");
        StubMapping squareDown = squareSandbox().stubFor(com.github.tomakehurst.wiremock.client.WireMock
                .get(urlPathEqualTo("/v2/locations")).atPriority(1)
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody("{\"errors\":[{\"category\":\"API_ERROR\",\"code\":\"SERVICE_UNAVAILABLE\"}]}")));
        boolean squareIsDown = true;
        try {
            Reply bad = postOrder(brooklynPickup("Quiet Poison Test"), UUID.randomUUID().toString());
            assertThat(bad.status()).as(bad.body()).isEqualTo(202);
            UUID poisoned = UUID.fromString(bad.json().path("orderId").asText());
            // three circuit-opening failures with Square "down" (each asks the health check): free waits. Before
            // the circuit first opens, at most 3 failures can count (it opens at the 4th of the last 8 calls)
            await().atMost(Duration.ofSeconds(60)).until(() -> healthChecks(503) >= 3);
            assertThat(deadLettersOf(List.of(poisoned))).as("dead letters while Square is down").isZero();
            long triedWhileDown = squareCalls(List.of(poisoned), 500);
            assertThat(triedWhileDown).as("poison calls while Square is down").isGreaterThanOrEqualTo(3);

            squareSandbox().removeStub(squareDown);
            squareIsDown = false;
            await().atMost(Duration.ofSeconds(60)).until(() -> deadLettersOf(List.of(poisoned)) == 1);
            var letter = jdbc.queryForMap("select stage, attempts, reason from dead_letter where order_id = ?",
                    poisoned);
            assertThat(letter.get("stage")).isEqualTo("pos");
            assertThat(((Number) letter.get("attempts")).intValue()).as("attempts when dead-lettered")
                    .isEqualTo(4);
            assertThat((String) letter.get("reason")).contains("answered 500").contains("health check");
            assertThat(healthChecks(200)).as("health checks Square answered").isPositive();
            assertThat(deliveredToPos(List.of(poisoned))).isZero();
        } finally {
            squareSandbox().removeStub(poison);
            if (squareIsDown) {
                squareSandbox().removeStub(squareDown);
            }
        }
        // the next order is the circuit's trial call: it reaches Square once and closes the circuit
        Reply next = postOrder(brooklynPickup("After Quiet Poison Test"), UUID.randomUUID().toString());
        assertThat(next.status()).as(next.body()).isEqualTo(202);
        UUID after = UUID.fromString(next.json().path("orderId").asText());
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveredToPos(List.of(after)) == 1);
        assertThat(squareCalls(List.of(after), 200)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> "CLOSED".equals(squareCircuit()));
    }

    /** Square answers 500 to every CreateOrder for {@code customer}'s orders, and to no other. */
    private StubMapping squareAnswers500To(String customer) {
        return squareSandbox().stubFor(com.github.tomakehurst.wiremock.client.WireMock
                .post(urlPathEqualTo("/v2/orders")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.order.fulfillments[0].pickup_details.recipient.display_name",
                        equalTo(customer)))
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody("{\"errors\":[{\"category\":\"API_ERROR\",\"code\":\"INTERNAL_SERVER_ERROR\"}]}")));
    }

    private long healthChecks(int status) {
        return squareSandbox().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().startsWith("/v2/locations"))
                .filter(e -> e.getResponse().getStatus() == status).count();
    }

    /**
     * Posts {@link #ORDERS} orders for {@code customer} while Square gives {@code answer} to them; checks the circuit
     * opens, nothing is dead-lettered or counted delivered meanwhile, the health view names {@code failure}; then
     * Square recovers and every order is delivered to the POS stage exactly once.
     */
    private List<UUID> outage(String customer, ResponseDefinitionBuilder answer, String failure) throws Exception {
        StubMapping outage = squareSandbox().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/v2/orders")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.order.fulfillments[0].pickup_details.recipient.display_name",
                        equalTo(customer)))
                .willReturn(answer));
        double parkedBefore = parked();
        List<UUID> orders = new ArrayList<>();
        try {
            for (int i = 0; i < ORDERS; i++) {
                Reply r = postOrder(brooklynPickup(customer), UUID.randomUUID().toString());
                assertThat(r.status()).as(r.body()).isEqualTo(202);
                orders.add(UUID.fromString(r.json().path("orderId").asText()));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !"CLOSED".equals(squareCircuit()));
            await().atMost(Duration.ofSeconds(30)).until(() -> parked() > parkedBefore);
            // while Square is down (three open periods and failed probes), no POS message gives up: with the suite's
            // 4 delivery attempts and 100 ms redelivery they would all be dead letters within a second otherwise
            await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(9))
                    .until(() -> deadLettersOf(orders) == 0 && deliveredToPos(orders) == 0);
            assertThat(squareRequests(orders)).as("calls Square got while down").hasSizeLessThan(ORDERS * 4);
            JsonNode health = asViewer("GET", "/api/v1/admin/health", null).json();
            JsonNode square = null;
            for (JsonNode v : health.path("vendors")) {
                if ("square".equals(v.path("adapter").asText())) {
                    square = v;
                }
            }
            assertThat(square).as(health.toString()).isNotNull();
            assertThat(square.path("circuit").asText()).isIn("OPEN", "HALF_OPEN");
            assertThat(square.path("lastFailure").asText()).contains(failure);
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
        assertThat(jdbc.queryForObject("select count(*) from stage_delivery where stage = 'pos' and order_id in ("
                + in(orders) + ")", Integer.class)).isEqualTo(ORDERS);
        return orders;
    }

    private String squareCircuit() {
        return adapterRegistry.find("square").orElseThrow().context().api().resilience().state().name();
    }

    private double parked() {
        var counter = meters.find("orderhub.stage.parked").tag("stage", "pos").counter();
        return counter == null ? 0 : counter.count();
    }

    private List<ServeEvent> squareRequests(List<UUID> orders) {
        return squareSandbox().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().startsWith("/v2/orders"))
                .filter(e -> orders.stream().anyMatch(o -> e.getRequest().getBodyAsString().contains(o.toString())))
                .toList();
    }

    private long squareCalls(List<UUID> orders, int status) {
        return squareRequests(orders).stream().filter(e -> e.getResponse().getStatus() == status).count();
    }

    private String idempotencyKey(ServeEvent call) {
        try {
            return json.readTree(call.getRequest().getBodyAsString()).path("idempotency_key").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError("Square got a body that is not JSON: " + call.getRequest().getBodyAsString(), e);
        }
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

    private static String brooklynPickup(String customer) {
        return """
                {"channel": "web", "locationId": "brooklyn", "externalId": "%s", "type": "pickup", "currency": "USD",
                 "lines": [{"itemId": "fries", "quantity": 1, "unitPrice": 499}],
                 "customer": {"name": "%s", "phone": "+1 718 555 0100"}}
                """.formatted(UUID.randomUUID(), customer);
    }
}
