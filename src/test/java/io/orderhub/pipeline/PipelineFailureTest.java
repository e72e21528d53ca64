package io.orderhub.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderhub.support.HubTestSupport;
import io.orderhub.support.Orders;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.model.RecipientListDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Failures while the pipeline publishes to the stages are the pipeline's failures: the broker transaction rolls
 * back (no stage sees the order) and the one error policy applies. Orders are marked by the channel's order
 * number before they are posted (the event carries it), so a fault can never be registered too late.
 */
class PipelineFailureTest extends HubTestSupport {

    private static final Set<String> FAIL = ConcurrentHashMap.newKeySet();
    private static final Set<String> FAIL_FIRST_DELIVERY = ConcurrentHashMap.newKeySet();
    private static final Set<String> FAIL_AFTER_PUBLISHING_ONCE = ConcurrentHashMap.newKeySet();
    /** Per order marked above: on which stage queues the broker held its event when the sends had just returned. */
    private static final Map<String, List<String>> HELD_BEFORE_COMMIT = new ConcurrentHashMap<>();
    private static volatile boolean advised;

    @Autowired
    private EmbeddedActiveMQ broker;

    private void advise() throws Exception {
        if (advised) {
            return;
        }
        AdviceWith.adviceWith(camel, "pipeline-process", a -> a.weaveByType(RecipientListDefinition.class)
                .before().process(e -> {
                    String event = e.getMessage().getBody(String.class);
                    if (FAIL.stream().anyMatch(event::contains)) {
                        throw new PermanentFailure("stage queue refused the event");
                    }
                    if (FAIL_FIRST_DELIVERY.stream().anyMatch(event::contains)
                            && e.getMessage().getHeader("JMSXDeliveryCount", 1, Integer.class) < 2) {
                        throw new IOException("broker connection dropped while publishing");
                    }
                }));
        AdviceWith.adviceWith(camel, "pipeline-process", a -> a.weaveByType(RecipientListDefinition.class)
                .after().process(e -> {
                    String event = e.getMessage().getBody(String.class);
                    var marked = FAIL_AFTER_PUBLISHING_ONCE.stream().filter(event::contains).findFirst();
                    if (marked.isEmpty() || e.getMessage().getHeader("JMSXDeliveryCount", 1, Integer.class) > 1) {
                        return;
                    }
                    // the broker remembers a duplicate id once the message carrying it is committed
                    byte[] eventId = SimpleString.of(e.getMessage().getHeader(Headers.EVENT_ID, String.class))
                            .getData();
                    List<String> held = new ArrayList<>();
                    for (String stage : OWN_PICKUP_STAGES) {
                        if (broker.getActiveMQServer().getPostOffice()
                                .getDuplicateIDCache(SimpleString.of("orderhub.stage." + stage)).contains(eventId)) {
                            held.add(stage);
                        }
                    }
                    HELD_BEFORE_COMMIT.put(marked.get(), held);
                    throw new IOException("broker connection dropped after publishing");
                }));
        advised = true;
    }

    @Test
    void aPermanentFailureWhilePublishingDeadLettersTheIntakeWithItsReason() throws Exception {
        advise();
        String externalId = "fanout-" + UUID.randomUUID();
        FAIL.add(externalId);
        String id = postOrder(Orders.soho(externalId), UUID.randomUUID().toString()).json().get("orderId").asText();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> letter = deadLetter(id);
            assertThat(letter).isNotNull();
            assertThat(letter.get(Headers.DEAD_LETTER_REASON))
                    .isEqualTo("PermanentFailure: stage queue refused the event");
            assertThat((String) letter.get("body")).contains(externalId);
        });
        // no queued stage has it; the kitchen's tickets were written with the order (tickets-with-order), which
        // stays stored: a replay of the dead letter finds it and publishes its event to the other stages
        assertThat(stagesDelivered(UUID.fromString(id), "order.created")).containsExactly("kds");
        assertThat(count("select count(*) from intake where id = ? and state = 'FAILED'", UUID.fromString(id)))
                .isEqualTo(1);
    }

    /**
     * The database committed the order but the broker transaction did not, as when the hub dies between the two:
     * the redelivered intake finds its own order, publishes the same event, and nothing is doubled.
     */
    @Test
    void aTransientFailureAfterTheOrderCommittedIsRedeliveredWithoutDoublingAnything() throws Exception {
        advise();
        String externalId = "redeliver-" + UUID.randomUUID();
        FAIL_FIRST_DELIVERY.add(externalId);
        String id = postOrder(Orders.soho(externalId), UUID.randomUUID().toString()).json().get("orderId").asText();
        UUID uuid = UUID.fromString(id);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stagesDelivered(uuid, "order.created"))
                .isEqualTo(OWN_PICKUP_STAGES));
        assertThat(count("select count(*) from orders where id = ?", uuid)).isEqualTo(1);
        assertThat(count("select count(*) from intake where id = ? and state = 'ACCEPTED'", uuid)).isEqualTo(1);
        assertThat(count("select count(*) from order_timeline where order_id = ? and kind = 'redelivered'", uuid))
                .isEqualTo(1);
        assertThat(count("select count(*) from order_timeline where order_id = ? and kind = 'duplicate-received'",
                uuid)).isZero();
    }

    /**
     * A new order's fan-out is part of the intake message's broker transaction: until the consume commits, no stage
     * queue has the event, and a failure after the sends takes them back with the consume. The redelivery publishes
     * the event again, and each stage gets it once.
     */
    @Test
    void aNewOrdersEventsCommitWithTheConsumeAndRollBackWithIt() throws Exception {
        advise();
        String externalId = "atomic-" + UUID.randomUUID();
        FAIL_AFTER_PUBLISHING_ONCE.add(externalId);
        String id = postOrder(Orders.soho(externalId), UUID.randomUUID().toString()).json().get("orderId").asText();
        UUID uuid = UUID.fromString(id);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stagesDelivered(uuid, "order.created"))
                .isEqualTo(OWN_PICKUP_STAGES));
        assertThat(HELD_BEFORE_COMMIT.get(externalId)).as("stage queues holding the event before the commit")
                .isEmpty();
        assertThat(count("select count(*) from stage_delivery where order_id = ?", uuid))
                .isEqualTo(OWN_PICKUP_STAGES.size());
        assertThat(count("select count(*) from order_timeline where order_id = ? and kind = 'redelivered'", uuid))
                .isEqualTo(1);
    }

    private Map<String, Object> deadLetter(String intakeId) {
        var letters = browse("DLQ.orderhub.intake", "orderhubIntakeId = '" + intakeId + "'");
        return letters.isEmpty() ? null : letters.get(0);
    }
}
