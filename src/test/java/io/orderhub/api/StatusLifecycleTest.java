package io.orderhub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderhub.support.HubTestSupport;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StatusLifecycleTest extends HubTestSupport {

    private Reply move(String id, String status) throws Exception {
        return post("/api/v1/orders/" + id + "/status", "{\"status\": \"" + status + "\", \"reason\": \"test\"}",
                Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json"));
    }

    private String acceptedOrder() throws Exception {
        String id = postOrder(sohoOrder(), UUID.randomUUID().toString()).json().get("orderId").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> "accepted".equals(
                get("/api/v1/orders/" + id, KEY).json().get("state").asText()));
        return id;
    }

    @Test
    void legalMovesAdvanceVersionAndReachEveryStageOnce() throws Exception {
        String id = acceptedOrder();
        assertThat(move(id, "in_preparation").json().get("order").get("version").asLong()).isEqualTo(2);
        assertThat(move(id, "ready").status()).isEqualTo(200);
        Reply done = move(id, "completed");
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.json().get("order").get("status").asText()).isEqualTo("completed");
        assertThat(done.json().get("order").get("version").asLong()).isEqualTo(4);
        // each event once at each stage it concerns (an own-channel pickup: no vendor to tell): created at pos, kds,
        // notifications (3); in preparation at pos, notifications (2); ready at pos, kds, notifications (3);
        // completed at pos, kds (2)
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(count(
                "select count(*) from stage_delivery where order_id = ?", UUID.fromString(id))).isEqualTo(10));
        assertThat(count("select count(*) from (select stage, event_id from stage_delivery where order_id = ? "
                + "group by stage, event_id having count(*) > 1) d", UUID.fromString(id))).isZero();
        assertThat(count("select count(*) from outbox")).isZero();
        assertThat(get("/api/v1/orders/" + id + "/timeline", KEY).json().findValuesAsText("kind"))
                .contains("received", "accepted", "status", "delivered");
    }

    @Test
    void illegalMoveIs409WithTheReason() throws Exception {
        String id = acceptedOrder();
        Reply r = move(id, "completed");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.contentType()).contains("application/problem+json");
        assertThat(r.json().get("detail").asText())
                .isEqualTo("cannot move an order from accepted to completed; allowed next: in_preparation, cancelled");
        move(id, "in_preparation");
        move(id, "ready");
        Reply dispatch = move(id, "dispatched");
        assertThat(dispatch.status()).isEqualTo(409);
        assertThat(dispatch.json().get("detail").asText()).contains("only delivery orders are dispatched");
        assertThat(move(id, "cancelled").status()).isEqualTo(200);
        assertThat(move(id, "refunded").status()).isEqualTo(200);
        assertThat(move(id, "accepted").json().get("detail").asText()).contains("refunded is final");
    }

    @Test
    void unknownStatusIs400AndUnknownOrderIs404() throws Exception {
        String id = acceptedOrder();
        assertThat(move(id, "eaten").status()).isEqualTo(400);
        assertThat(move(UUID.randomUUID().toString(), "ready").status()).isEqualTo(404);
    }
}
