package io.orderhub.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderhub.support.HubTestSupport;
import io.orderhub.support.Orders;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * intake-recover: an intake committed but never queued (the hub died in between) is queued again and becomes an
 * order; one that keeps coming back without an outcome is marked failed instead of cycling for ever.
 */
class IntakeRecoveryTest extends HubTestSupport {

    private UUID strand(int requeued) {
        UUID id = UUID.randomUUID();
        String externalId = "stranded-" + id;
        jdbc.update("insert into intake (id, source, client_id, idempotency_key, fingerprint, business_key, "
                        + "location_id, channel, content_type, payload, state, correlation_id, received_at, requeued) "
                        + "values (?, 'own-channel', 'test-web', ?, 'f', ?, 'soho', 'web', 'application/json', ?, "
                        + "'RECEIVED', ?, ?, ?)", id, "key-" + id, "own-channel:test-web:ext:" + externalId,
                Orders.soho(externalId), "corr-" + id, Timestamp.from(Instant.now().minusSeconds(120)), requeued);
        return id;
    }

    @Test
    void anIntakeThatNeverReachedTheQueueIsQueuedAgainAndAccepted() {
        UUID id = strand(0);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(count(
                "select count(*) from intake where id = ? and state = 'ACCEPTED'", id)).isEqualTo(1));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(stagesDelivered(id, "order.created"))
                .isEqualTo(OWN_PICKUP_STAGES));
        assertThat(count("select requeued from intake where id = ?", id)).isEqualTo(1);
    }

    @Test
    void anIntakeRequeuedTooOftenIsMarkedFailedWithAReason() {
        UUID id = strand(5);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(count(
                "select count(*) from intake where id = ? and state = 'FAILED' and reason like 're-queued 5 times%'",
                id)).isEqualTo(1));
        assertThat(count("select count(*) from orders where id = ?", id)).isZero();
    }
}
