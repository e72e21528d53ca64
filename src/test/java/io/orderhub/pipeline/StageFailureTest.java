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
 * transiently for ever (dead letter after the configured attempts). Faults are injected into the notifications
 * stage by advising its route, for this test's orders only.
 */
class StageFailureTest extends HubTestSupport {

    enum Fault { FIRST_DELIVERY, PERMANENT, ALWAYS }

    private static final Map<String, Fault> FAULTS = new ConcurrentHashMap<>();
    /** Per faulty order: the broker delivery count of every time the stage ran for it. */
    private static final Map<String, List<Integer>> RUNS = new ConcurrentHashMap<>();
    private static volatile boolean advised;

    @BeforeEach
    void adviseNotificationsStage() throws Exception {
        if (advised) {
            return;
        }
        AdviceWith.adviceWith(camel, "stage-notifications-deliver", a -> a.weaveByToString(".*stageDelivery.*").before()
                .process(e -> {
                    String event = e.getMessage().getBody(String.class);
                    Map.Entry<String, Fault> marked = FAULTS.entrySet().stream()
                            .filter(f -> event.contains(f.getKey())).findFirst().orElse(null);
                    Fault fault = marked == null ? null : marked.getValue();
                    int delivery = e.getMessage().getHeader("JMSXDeliveryCount", 1, Integer.class);
                    if (marked != null) {
                        RUNS.computeIfAbsent(marked.getKey(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                                .add(delivery);
                    }
                    if (fault == Fault.FIRST_DELIVERY && delivery < 2 || fault == Fault.ALWAYS) {
                        throw new IOException("customer app timed out (delivery " + delivery + ")");
                    }
                    if (fault == Fault.PERMANENT) {
                        throw new PermanentFailure("customer app answered 400: unknown location");
                    }
                }));
        advised = true;
    }

    private String orderWith(Fault fault) throws Exception {
        return orderWith(fault, "fault-" + UUID.randomUUID());
    }

    private String orderWith(Fault fault, String externalId) throws Exception {
        // marked by the channel's order number before posting (the event carries it), so the stage cannot see
        // the order before its fault is registered
        FAULTS.put(externalId, fault);
        return postOrder(io.orderhub.support.Orders.soho(externalId), UUID.randomUUID().toString()).json()
                .get("orderId").asText();
    }

    @Test
    void transientFailureSucceedsAfterRedelivery() throws Exception {
        String id = orderWith(Fault.FIRST_DELIVERY);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(count(
                "select count(*) from stage_delivery where order_id = ? and stage = 'notifications' and attempts >= 2",
                UUID.fromString(id))).isEqualTo(1));
        assertThat(stagesDelivered(id, "order.created")).isEqualTo(OWN_PICKUP_STAGES);
        assertThat(count("select count(*) from delivery_failure where message_key = ?",
                "orderhub.stage.notifications:order.created:" + id)).isEqualTo(1);
        assertThat(deadLetters(id)).isEmpty();
    }

    @Test
    void permanentFailureGoesToTheStagesDeadLetterQueueAtOnceWithPayloadAndReason() throws Exception {
        String id = orderWith(Fault.PERMANENT);
        List<Map<String, Object>> dead = awaitDeadLetter(id);
        Map<String, Object> letter = dead.get(0);
        assertThat((String) letter.get("body")).contains("\"orderId\":\"" + id + "\"").contains("classic-burger");
        assertThat(letter.get(Headers.DEAD_LETTER_REASON)).isEqualTo(
                "PermanentFailure: customer app answered 400: unknown location");
        assertThat(letter.get(Headers.DEAD_LETTER_ATTEMPTS)).isEqualTo(1);
        assertThat(letter.get(Headers.STAGE)).isEqualTo("notifications");
        assertThat(letter.get(Headers.DEAD_LETTER_ORIGINAL_QUEUE)).isEqualTo("orderhub.stage.notifications");
        assertThat(letter.get(Headers.DEAD_LETTER_FIRST_FAILURE)).isNotNull();
        assertThat(letter.get(Headers.DEAD_LETTER_AT)).isNotNull();
        assertThat(count("select count(*) from stage_delivery where order_id = ? and stage = 'notifications'",
                UUID.fromString(id))).isZero();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(stagesDelivered(id, "order.created"))
                .containsExactly("kds", "pos"));
    }

    /**
     * Poison message drill (issue 6): a transient failure that never clears. The suite's policy is 4 deliveries
     * (orderhub.reliability.max-delivery-attempts, HubTestSupport), each with 2 quick in-process retries
     * (orderhub.reliability.in-process-retries, config/application.yaml): the stage runs exactly 4 x 3 times, on
     * broker deliveries 1 to 4, then the message is a dead letter with attempts 4 and its reason, in the broker's DLQ
     * and in the console. Fixed (the fault cleared) and replayed through the console API, the order reaches the stage
     * once.
     */
    @Test
    void transientFailureThatNeverClearsIsDeadLetteredAfterTheConfiguredAttemptsAndReplaysOnceFixed()
            throws Exception {
        String externalId = "fault-" + UUID.randomUUID();
        String id = orderWith(Fault.ALWAYS, externalId);
        Map<String, Object> letter = awaitDeadLetter(id).get(0);
        assertThat(letter.get(Headers.DEAD_LETTER_ATTEMPTS)).isEqualTo(4);
        assertThat((String) letter.get(Headers.DEAD_LETTER_REASON)).startsWith("IOException: customer app timed out");
        assertThat(letter.get(Headers.DEAD_LETTER_FIRST_FAILURE)).isNotEqualTo(letter.get(Headers.DEAD_LETTER_LAST_FAILURE));
        assertThat(count("select count(*) from stage_delivery where order_id = ? and stage = 'notifications'",
                UUID.fromString(id))).isZero();
        // exactly the configured attempts: 4 broker deliveries x (1 + 2 in-process retries), no more afterwards
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> RUNS.get(externalId).size() == 4 * 3);
        assertThat(RUNS.get(externalId)).containsExactly(1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4);

        // the console shows the same: one open dead letter at notifications, attempts 4, the reason
        Reply list = asViewer("GET", "/api/v1/admin/dead-letters?stage=notifications&state=OPEN&size=200", null);
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        com.fasterxml.jackson.databind.JsonNode entry = null;
        for (com.fasterxml.jackson.databind.JsonNode item : list.json().path("items")) {
            if (id.equals(item.path("orderId").asText())) {
                assertThat(entry).as("one dead letter for the order").isNull();
                entry = item;
            }
        }
        assertThat(entry).as(list.body()).isNotNull();
        assertThat(entry.path("attempts").asInt()).isEqualTo(4);
        assertThat(entry.path("reason").asText()).startsWith("IOException: customer app timed out");
        assertThat(entry.path("errorClass").asText()).contains("IOException");

        // fixed: the customer app answers again; replayed from the console, delivered once
        FAULTS.remove(externalId);
        Reply replayed = asOps("POST", "/api/v1/admin/dead-letters/" + entry.path("id").asText() + "/replay", null);
        assertThat(replayed.status()).as(replayed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(count(
                "select count(*) from stage_delivery where order_id = ? and stage = 'notifications'",
                UUID.fromString(id))).isEqualTo(1));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> stagesDelivered(id,
                "order.created").equals(OWN_PICKUP_STAGES));
        assertThat(deadLetters(id)).as("the broker's DLQ copy is gone after the replay").isEmpty();
        assertThat(jdbc.queryForObject("select state from dead_letter where id = ?", String.class,
                UUID.fromString(entry.path("id").asText()))).isEqualTo("REPLAYED");
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
        return browse("DLQ.orderhub.stage.notifications", "orderhubOrderId = '" + orderId + "'");
    }
}
