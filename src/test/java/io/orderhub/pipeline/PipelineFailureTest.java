package io.orderhub.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderhub.support.HubTestSupport;
import jakarta.jms.Message;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

/**
 * A failure while the pipeline publishes to the stages is the pipeline's failure: the whole broker transaction
 * rolls back (no stage sees the order) and the one error policy applies, here a permanent failure that lands in
 * DLQ.orderhub.intake with its reason, the intake marked failed.
 */
class PipelineFailureTest extends HubTestSupport {

    private static final Set<String> FAIL = ConcurrentHashMap.newKeySet();
    private static volatile boolean advised;

    @Autowired
    JmsTemplate jms;

    @Test
    void aPermanentFailureWhilePublishingDeadLettersTheIntakeWithItsReason() throws Exception {
        if (!advised) {
            AdviceWith.adviceWith(camel, "pipeline-process", a -> a.weaveByType(
                    org.apache.camel.model.RecipientListDefinition.class).before().process(e -> {
                String event = e.getMessage().getBody(String.class);
                if (FAIL.stream().anyMatch(event::contains)) {
                    throw new PermanentFailure("stage queue refused the event");
                }
            }));
            advised = true;
        }
        String key = UUID.randomUUID().toString();
        String externalId = "fanout-" + UUID.randomUUID();
        FAIL.add(externalId);   // marked before posting: the event carries it as the order's display id
        Reply ack = postOrder(io.orderhub.support.Orders.soho(externalId), key);
        String id = ack.json().get("orderId").asText();

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

    private Map<String, Object> deadLetter(String intakeId) {
        return jms.browseSelected("DLQ.orderhub.intake", "orderhubIntakeId = '" + intakeId + "'", (s, browser) -> {
            java.util.Enumeration<?> e = browser.getEnumeration();
            if (!e.hasMoreElements()) {
                return null;
            }
            Message m = (Message) e.nextElement();
            Map<String, Object> letter = new java.util.HashMap<>();
            letter.put("body", ((jakarta.jms.TextMessage) m).getText());
            letter.put(Headers.DEAD_LETTER_REASON, m.getStringProperty(Headers.DEAD_LETTER_REASON));
            return letter;
        });
    }
}
