package io.orderhub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.support.HubTestSupport;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Orders that are well formed but cannot be made: refused with a stored reason, visible, no event. */
class OrderValidationTest extends HubTestSupport {

    private static final String LINE_BURGER = """
            {"itemId": "classic-burger", "quantity": 1, "unitPrice": %d, "modifiers": [%s]}""";
    private static final String MEDIUM = """
            {"groupId": "doneness", "modifierId": "medium", "quantity": 1, "unitPrice": 0}""";

    private String order(String... lines) {
        return """
                {"channel": "web", "locationId": "soho", "type": "pickup", "currency": "GBP", "lines": [%s]}
                """.formatted(String.join(",", lines));
    }

    @Test
    void unknownItemIsRejectedWithItsReason() throws Exception {
        JsonNode view = rejected(order("""
                {"itemId": "unicorn-steak", "quantity": 1, "unitPrice": 9999}"""));
        assertThat(view.get("reason").asText()).contains("unknown item 'unicorn-steak'");
    }

    @Test
    void tooManyModifiersIsRejected() throws Exception {
        String extras = MEDIUM + ","
                + "{\"groupId\": \"extras\", \"modifierId\": \"cheddar\", \"quantity\": 2, \"unitPrice\": 100},"
                + "{\"groupId\": \"extras\", \"modifierId\": \"bacon\", \"quantity\": 2, \"unitPrice\": 150}";
        JsonNode view = rejected(order(LINE_BURGER.formatted(1150, extras)));
        assertThat(view.get("reason").asText()).contains("too many modifiers in Extras: 4, at most 3");
    }

    @Test
    void missingForcedChoiceIsRejected() throws Exception {
        JsonNode view = rejected(order(LINE_BURGER.formatted(1150, "")));
        assertThat(view.get("reason").asText()).contains("How cooked needs at least 1 choice, got 0");
    }

    @Test
    void wrongPriceIsRejected() throws Exception {
        JsonNode view = rejected(order(LINE_BURGER.formatted(999, MEDIUM)));
        assertThat(view.get("reason").asText()).contains("wrong price 999, Classic Burger costs 1150 at soho");
    }

    @Test
    void unavailableItemAndOptionAreRejected() throws Exception {
        JsonNode view = rejected(order("""
                {"itemId": "truffle-fries", "quantity": 1, "unitPrice": 650}""", LINE_BURGER.formatted(1150,
                MEDIUM + ",{\"groupId\": \"extras\", \"modifierId\": \"avocado\", \"quantity\": 1, \"unitPrice\": 120}")));
        assertThat(view.get("reason").asText()).contains("Truffle fries is not available at soho")
                .contains("Avocado is not available");
    }

    @Test
    void totalShownToTheGuestThatDiffersIsRejected() throws Exception {
        String body = order(LINE_BURGER.formatted(1150, MEDIUM)).replace("\"lines\"",
                "\"expectedTotal\": 1000, \"lines\"");
        JsonNode view = rejected(body);
        assertThat(view.get("reason").asText()).contains("the guest was shown 1000, the hub computes 1150");
    }

    @Test
    void rejectedOrdersAreListed() throws Exception {
        JsonNode view = rejected(order("""
                {"itemId": "ghost-item", "quantity": 1, "unitPrice": 100}"""));
        JsonNode page = get("/api/v1/orders?status=rejected&size=1", KEY).json();
        assertThat(page.get("items").findValuesAsText("id")).containsExactly(view.get("id").asText());
        long total = page.get("total").asLong();
        assertThat(total).isGreaterThanOrEqualTo(1);
        JsonNode last = get("/api/v1/orders?status=rejected&size=1&page=" + (total - 1), KEY).json();
        assertThat(last.get("items")).hasSize(1);
        assertThat(get("/api/v1/orders?status=rejected&size=1&page=" + total, KEY).json().get("items")).isEmpty();
    }

    private JsonNode rejected(String body) throws Exception {
        Reply ack = postOrder(body, UUID.randomUUID().toString());
        assertThat(ack.status()).as(ack.body()).isEqualTo(202);
        String id = ack.json().get("orderId").asText();
        JsonNode[] view = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            view[0] = get("/api/v1/orders/" + id, KEY).json();
            assertThat(view[0].get("state").asText()).isEqualTo("rejected");
        });
        UUID uuid = UUID.fromString(id);
        assertThat(count("select count(*) from orders where id = ?", uuid)).as("no order row").isZero();
        assertThat(count("select count(*) from stage_delivery where order_id = ?", uuid)).as("no event").isZero();
        assertThat(count("select count(*) from intake where id = ? and state = 'REJECTED' and reason is not null",
                uuid)).isEqualTo(1);
        return view[0];
    }
}
