package io.orderhub.pipeline;

import io.orderhub.observability.HubMetrics;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What a consumer stage does with an order event in this release: record, once, that the stage received it.
 * The {@code stage_delivery} key (stage, event id) makes a redelivered or re-published event a no-op, and the
 * row is the "delivered" entry of the order's timeline.
 */
@Component("stageDelivery")
public class StageDelivery {

    private final JdbcTemplate jdbc;
    private final HubMetrics metrics;
    private final Clock clock;

    public StageDelivery(JdbcTemplate jdbc, HubMetrics metrics, Clock clock) {
        this.jdbc = jdbc;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** @return true when this delivery was recorded now, false when the stage had it already */
    @Transactional
    public boolean record(Exchange exchange) {
        Message in = exchange.getMessage();
        String stage = exchange.getProperty(Headers.STAGE, String.class);
        String eventId = in.getHeader(Headers.EVENT_ID, String.class);
        String eventType = in.getHeader(Headers.EVENT_TYPE, String.class);
        UUID orderId = UUID.fromString(in.getHeader(Headers.ORDER_ID, String.class));
        int attempts = in.getHeader("JMSXDeliveryCount", 1, Integer.class);
        int inserted = jdbc.update("insert into stage_delivery (stage, event_id, order_id, event_type, delivered_at, "
                        + "attempts) select ?, ?, ?, ?, ?, ? where not exists "
                        + "(select 1 from stage_delivery where stage = ? and event_id = ?)",
                stage, eventId, orderId, eventType, Timestamp.from(Instant.now(clock)), attempts, stage, eventId);
        if (inserted == 0) {
            return false;
        }
        metrics.delivered(stage);
        return true;
    }
}
