package io.orderhub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.support.HubTestSupport;
import io.orderhub.support.Orders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class OwnChannelIntakeTest extends HubTestSupport {

    @Test
    void postedOrderBecomesOneCanonicalOrderWithTotalsInMinorUnitsAndReachesEveryStage() throws Exception {
        Reply ack = postOrder(sohoOrder(), UUID.randomUUID().toString());
        assertThat(ack.status()).isEqualTo(202);
        String id = ack.json().get("orderId").asText();
        assertThat(ack.raw().headers().firstValue("Location")).contains("/api/v1/orders/" + id);
        assertThat(UUID.fromString(id).version()).as("time-ordered id").isEqualTo(7);

        JsonNode order = awaitAccepted(id);
        assertThat(order.get("currency").asText()).isEqualTo("GBP");
        assertThat(order.get("lines")).hasSize(2);
        JsonNode burger = order.get("lines").get(0);
        assertThat(burger.get("quantity").asInt()).isEqualTo(2);
        assertThat(burger.get("lineTotal").get("amount").asLong()).isEqualTo(2500);
        assertThat(burger.get("station").asText()).isEqualTo("grill");
        assertThat(burger.get("modifiers").get(1).get("name").asText()).isEqualTo("Cheddar");
        JsonNode charges = order.get("charges");
        assertThat(charges.get("subtotal").get("amount").asLong()).isEqualTo(2850);
        assertThat(charges.get("tax").get("amount").asLong()).isEqualTo(475);
        assertThat(charges.get("tip").get("amount").asLong()).isEqualTo(200);
        assertThat(charges.get("total").get("amount").asLong()).isEqualTo(3050);
        assertThat(order.get("status").asText()).isEqualTo("accepted");
        assertThat(order.get("correlationId").asText()).isEqualTo(ack.json().get("correlationId").asText());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(stagesDelivered(id, "order.created"))
                .isEqualTo(OWN_PICKUP_STAGES));
        assertThat(count("select count(*) from orders where id = ?", UUID.fromString(id))).isEqualTo(1);
    }

    /**
     * An order event goes only to the stages with something to do for it: a dine-in order from the hub's own
     * channel has no vendor to tell and no customer to notify, so only the POS and the kitchen get it.
     */
    @Test
    void aDineInOwnChannelOrderGoesOnlyToThePosAndTheKitchen() throws Exception {
        String dineIn = sohoOrder().replace("\"type\": \"pickup\"", "\"type\": \"dine_in\"");
        assertThat(dineIn).contains("dine_in");
        String id = postOrder(dineIn, UUID.randomUUID().toString()).json().get("orderId").asText();
        awaitAccepted(id);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(stagesDelivered(id, "order.created"))
                .containsExactly("kds", "pos"));
        // and nothing arrives later at the two others
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> count(
                "select count(*) from stage_delivery where order_id = ?", UUID.fromString(id)) == 2);
    }

    @Test
    void taxExclusiveLocationAddsSalesTaxRoundedHalfEven() throws Exception {
        String body = """
                {"channel": "app", "locationId": "brooklyn", "type": "delivery", "currency": "USD",
                 "lines": [
                   {"itemId": "classic-burger", "quantity": 1, "unitPrice": 1299,
                    "modifiers": [{"groupId": "doneness", "modifierId": "well-done", "quantity": 1, "unitPrice": 0},
                                  {"groupId": "extras", "modifierId": "cheddar", "quantity": 1, "unitPrice": 150}]},
                   {"itemId": "fries", "quantity": 1, "unitPrice": 499}],
                 "tip": 300,
                 "fulfilment": {"address": {"line1": "1 Main St", "city": "Brooklyn", "country": "US"}}}
                """;
        Reply ack = postOrder(body, UUID.randomUUID().toString());
        assertThat(ack.status()).isEqualTo(202);
        JsonNode charges = awaitAccepted(ack.json().get("orderId").asText()).get("charges");
        // 1449 + 499 = 1948; 8.875 % = 172.885 -> 173 (half-even); + delivery fee 399 + tip 300
        assertThat(charges.get("subtotal").get("amount").asLong()).isEqualTo(1948);
        assertThat(charges.get("tax").get("amount").asLong()).isEqualTo(173);
        assertThat(charges.get("fees").get(0).get("amount").get("amount").asLong()).isEqualTo(399);
        assertThat(charges.get("total").get("amount").asLong()).isEqualTo(1948 + 173 + 399 + 300);
    }

    @Test
    void sameIdempotencyKeyThreeTimesConcurrentlyMakesExactlyOneOrder() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = sohoOrder();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            replies.add(pool.submit((Callable<Reply>) () -> postOrder(body, key)));
        }
        Set<String> ids = new HashSet<>();
        for (Future<Reply> f : replies) {
            Reply r = f.get();
            assertThat(r.status()).isEqualTo(202);
            ids.add(r.json().get("orderId").asText());
        }
        pool.shutdown();
        assertThat(ids).hasSize(1);
        String id = ids.iterator().next();
        awaitAccepted(id);
        assertThat(count("select count(*) from intake where client_id = 'test-web' and idempotency_key = ?", key))
                .isEqualTo(1);
        assertThat(count("select count(*) from orders where id = ?", UUID.fromString(id))).isEqualTo(1);

        Reply again = postOrder(body, key);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("orderId").asText()).isEqualTo(id);
        assertThat(again.raw().headers().firstValue("Idempotency-Replayed")).contains("true");
    }

    @Test
    void sameKeyWithAnotherBodyIsRefusedWith422() throws Exception {
        String key = UUID.randomUUID().toString();
        assertThat(postOrder(sohoOrder(), key).status()).isEqualTo(202);
        Reply second = postOrder(sohoOrder(), key);
        assertThat(second.status()).isEqualTo(422);
        assertThat(second.contentType()).contains("application/problem+json");
        assertThat(second.json().get("type").asText()).endsWith("/idempotency-key-reused");
    }

    @Test
    void sameChannelOrderNumberUnderANewKeyIsOneOrder() throws Exception {
        String body = Orders.soho("web-" + UUID.randomUUID());
        String first = postOrder(body, UUID.randomUUID().toString()).json().get("orderId").asText();
        String second = postOrder(body, UUID.randomUUID().toString()).json().get("orderId").asText();
        awaitAccepted(first);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode view = get("/api/v1/orders/" + second, KEY).json();
            assertThat(view.get("state").asText()).isEqualTo("duplicate");
            assertThat(view.get("duplicateOf").asText()).isEqualTo(first);
        });
        assertThat(count("select count(*) from orders where id in (?, ?)", UUID.fromString(first),
                UUID.fromString(second))).isEqualTo(1);
    }

    @Test
    void missingIdempotencyKeyIs400() throws Exception {
        Reply r = post("/api/v1/orders", sohoOrder(), java.util.Map.of("Authorization", "Bearer " + KEY,
                "Content-Type", "application/json"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("type").asText()).endsWith("/idempotency-key-missing");
    }

    JsonNode awaitAccepted(String id) {
        JsonNode[] holder = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Reply r = get("/api/v1/orders/" + id, KEY);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("state").asText()).isEqualTo("accepted");
            holder[0] = r.json().get("order");
        });
        return holder[0];
    }
}
