package io.orderhub.adapter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.orderhub.support.HubTestSupport;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A vendor's 429 with Retry-After: the POS message is parked until then (not retried sooner, not dead-lettered),
 * and the next call, after the wait, creates the order once.
 */
class RetryAfterTest extends HubTestSupport {

    @Test
    void a429WithRetryAfterIsHonouredAndTheOrderIsCreatedOnceAfterTheWait() throws Exception {
        String name = "Retry After " + UUID.randomUUID().toString().substring(0, 8);
        String scenario = "retry-after-" + name;
        StubMapping busy = squareSandbox().stubFor(com.github.tomakehurst.wiremock.client.WireMock
                .post(urlPathEqualTo("/v2/orders")).atPriority(1)
                .inScenario(scenario).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("answered")
                .withRequestBody(matchingJsonPath("$.order.fulfillments[0].pickup_details.recipient.display_name",
                        equalTo(name)))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"errors\":[{\"category\":\"RATE_LIMIT_ERROR\",\"code\":\"RATE_LIMITED\"}]}")));
        try {
            Reply r = postOrder("""
                    {"channel": "web", "locationId": "brooklyn", "externalId": "%s", "type": "pickup",
                     "currency": "USD", "lines": [{"itemId": "fries", "quantity": 1, "unitPrice": 499}],
                     "customer": {"name": "%s", "phone": "+1 718 555 0100"}}
                    """.formatted(UUID.randomUUID(), name), UUID.randomUUID().toString());
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            UUID order = UUID.fromString(r.json().path("orderId").asText());

            await().atMost(Duration.ofSeconds(30)).until(() -> count(
                    "select count(*) from stage_delivery where stage = 'pos' and order_id = ?", order) == 1);
            List<ServeEvent> calls = squareSandbox().getAllServeEvents().stream()
                    .filter(e -> e.getRequest().getUrl().startsWith("/v2/orders"))
                    .filter(e -> e.getRequest().getBodyAsString().contains(order.toString()))
                    .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate())).toList();
            assertThat(calls).extracting(e -> e.getResponse().getStatus()).containsExactly(429, 200);
            long gap = calls.get(1).getRequest().getLoggedDate().getTime()
                    - calls.get(0).getRequest().getLoggedDate().getTime();
            assertThat(gap).as("ms between the 429 and the next call").isGreaterThanOrEqualTo(2_900);
            assertThat(count("select count(*) from dead_letter where order_id = ?", order)).isZero();
            assertThat(jdbc.queryForList("select detail from order_timeline where order_id = ? and kind = "
                    + "'vendor-call-failed'", String.class, order)).singleElement().asString()
                    .contains("429").contains("Retry-After 3");
        } finally {
            squareSandbox().removeStub(busy);
        }
    }
}
