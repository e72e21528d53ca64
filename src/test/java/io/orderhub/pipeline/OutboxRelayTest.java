package io.orderhub.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderhub.model.CanonicalOrder;
import io.orderhub.model.OrderStatus;
import io.orderhub.order.OrderEvent;
import io.orderhub.order.OrderStore;
import io.orderhub.support.HubTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A status change whose event was committed to the outbox but never published (the hub died right after the
 * commit) is published by outbox-relay, once, to every stage.
 */
class OutboxRelayTest extends HubTestSupport {

    @Autowired
    Outbox outbox;
    @Autowired
    OrderStore orders;
    @Autowired
    TransactionTemplate tx;

    @Test
    void anEventLeftInTheOutboxIsPublishedByTheRelayOnce() throws Exception {
        String id = postOrder(sohoOrder(), UUID.randomUUID().toString()).json().get("orderId").asText();
        UUID orderId = UUID.fromString(id);
        await().atMost(Duration.ofSeconds(20)).until(() -> orders.find(orderId).isPresent());
        CanonicalOrder order = orders.find(orderId).orElseThrow();

        // what OrderLifecycle commits, without the publish that follows the commit
        OrderEvent event = OrderEvent.statusChanged(order.withStatus(OrderStatus.IN_PREPARATION, 2, Instant.now()),
                "test", "hub died after commit");
        tx.executeWithoutResult(s -> outbox.add(event));
        assertThat(count("select count(*) from outbox where dup_id = ?", event.eventId())).isEqualTo(1);

        // "preparing" concerns the POS and the customer; the kitchen made the order already, no vendor to tell
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jdbc.queryForList(
                "select stage from stage_delivery where event_id = ? order by stage", String.class, event.eventId()))
                .containsExactly("notifications", "pos"));
        assertThat(count("select count(*) from outbox where dup_id = ?", event.eventId())).isZero();
    }
}
