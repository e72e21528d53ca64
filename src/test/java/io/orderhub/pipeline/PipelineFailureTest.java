package io.orderhub.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderhub.support.HubTestSupport;
import io.orderhub.support.Orders;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.model.RecipientListDefinition;
import org.junit.jupiter.api.Test;

/**
 * Failures while the pipeline publishes to the stages are the pipeline's failures: the broker transaction rolls
 * back (no stage sees the order) and the one error policy applies. Orders are marked by the channel's order
 * number before they are posted (the event carries it), so a fault can never be registered too late.
 */
class PipelineFailureTest extends HubTestSupport {

    private static final Set<String> FAIL = ConcurrentHashMap.newKeySet();
    private static final Set<String> FAIL_FIRST_DELIVERY = ConcurrentHashMap.newKeySet();
    private static volatile boolean advised;

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
        assertThat(count("select count(*) from stage_delivery where order_id = ?", UUID.fromString(id))).isZero();
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

    private Map<String, Object> deadLetter(String intakeId) {
        var letters = browse("DLQ.orderhub.intake", "orderhubIntakeId = '" + intakeId + "'");
        return letters.isEmpty() ? null : letters.get(0);
    }
}
