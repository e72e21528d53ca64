package io.orderhub.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderhub.support.HubTestSupport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stage consumer that fails: transiently (recovers on redelivery), permanently (dead letter at once), or
 * transiently for ever (dead letter after the configured attempts). Faults are injected into the analytics
 * stage by advising its route, for this test's orders only.
 */
class StageFailureTest extends HubTestSupport {

    enum Fault { FIRST_DELIVERY, PERMANENT, ALWAYS }

    private static final Map<String, Fault> FAULTS = new ConcurrentHashMap<>();
    private static volatile boolean advised;

    @BeforeEach
    void adviseAnalyticsStage() throws Exception {
        if (advised) {
            return;
        }
        AdviceWith.adviceWith(camel, "stage-analytics-deliver", a -> a.weaveByToString(".*stageDelivery.*").before()
                .process(e -> {
                    String event = e.getMessage().getBody(String.class);
                    Fault fault = FAULTS.entrySet().stream().filter(f -> event.contains(f.getKey()))
                            .map(Map.Entry::getValue).findFirst().orElse(null);
                    int delivery = e.getMessage().getHeader("JMSXDeliveryCount", 1, Integer.class);
                    if (fault == Fault.FIRST_DELIVERY && delivery < 2 || fault == Fault.ALWAYS) {
                        throw new IOException("analytics store timed out (delivery " + delivery + ")");
                    }
                    if (fault == Fault.PERMANENT) {
                        throw new PermanentFailure("analytics store answered 400: unknown location");
                    }
                }));
        advised = true;
    }

    private String orderWith(Fault fault) throws Exception {
        // marked by the channel's order number before posting (the event carries it), so the stage cannot see
        // the order before its fault is registered
        String externalId = "fault-" + UUID.randomUUID();
        FAULTS.put(externalId, fault);
        return postOrder(io.orderhub.support.Orders.soho(externalId), UUID.randomUUID().toString()).json()
                .get("orderId").asText();
    }

    @Test
    void transientFailureSucceedsAfterRedelivery() throws Exception {
        String id = orderWith(Fault.FIRST_DELIVERY);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(count(
                "select count(*) from stage_delivery where order_id = ? and stage = 'analytics' and attempts >= 2",
                UUID.fromString(id))).isEqualTo(1));
        assertThat(count("select count(*) from stage_delivery where order_id = ?", UUID.fromString(id)))
                .isEqualTo(5);
        assertThat(count("select count(*) from delivery_failure where message_key = ?",
                "orderhub.stage.analytics:order.created:" + id)).isEqualTo(1);
        assertThat(deadLetters(id)).isEmpty();
    }

    @Test
    void permanentFailureGoesToTheStagesDeadLetterQueueAtOnceWithPayloadAndReason() throws Exception {
        String id = orderWith(Fault.PERMANENT);
        List<Map<String, Object>> dead = awaitDeadLetter(id);
        Map<String, Object> letter = dead.get(0);
        assertThat((String) letter.get("body")).contains("\"orderId\":\"" + id + "\"").contains("classic-burger");
        assertThat(letter.get(Headers.DEAD_LETTER_REASON)).isEqualTo(
                "PermanentFailure: analytics store answered 400: unknown location");
        assertThat(letter.get(Headers.DEAD_LETTER_ATTEMPTS)).isEqualTo(1);
        assertThat(letter.get(Headers.STAGE)).isEqualTo("analytics");
        assertThat(letter.get(Headers.DEAD_LETTER_ORIGINAL_QUEUE)).isEqualTo("orderhub.stage.analytics");
        assertThat(letter.get(Headers.DEAD_LETTER_FIRST_FAILURE)).isNotNull();
        assertThat(letter.get(Headers.DEAD_LETTER_AT)).isNotNull();
        assertThat(count("select count(*) from stage_delivery where order_id = ? and stage = 'analytics'",
                UUID.fromString(id))).isZero();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(count(
                "select count(*) from stage_delivery where order_id = ?", UUID.fromString(id))).isEqualTo(4));
    }

    @Test
    void transientFailureThatNeverClearsIsDeadLetteredAfterTheConfiguredAttempts() throws Exception {
        String id = orderWith(Fault.ALWAYS);
        Map<String, Object> letter = awaitDeadLetter(id).get(0);
        assertThat(letter.get(Headers.DEAD_LETTER_ATTEMPTS)).isEqualTo(4);
        assertThat((String) letter.get(Headers.DEAD_LETTER_REASON)).startsWith("IOException: analytics store timed out");
        assertThat(letter.get(Headers.DEAD_LETTER_FIRST_FAILURE)).isNotEqualTo(letter.get(Headers.DEAD_LETTER_LAST_FAILURE));
        assertThat(count("select count(*) from stage_delivery where order_id = ? and stage = 'analytics'",
                UUID.fromString(id))).isZero();
    }

    private List<Map<String, Object>> awaitDeadLetter(String orderId) {
        List<Map<String, Object>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            found.clear();
            found.addAll(deadLetters(orderId));
            assertThat(found).hasSize(1);
        });
        return found;
    }

    private List<Map<String, Object>> deadLetters(String orderId) {
        return browse("DLQ.orderhub.stage.analytics", "orderhubOrderId = '" + orderId + "'");
    }
}
