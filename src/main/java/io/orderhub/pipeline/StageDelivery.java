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

/**
 * What a consumer stage does with an order event: run the stage's {@link StageHandler} if it has one (unless the
 * stage already has the event), then record, once, that the stage received it.
 * The {@code stage_delivery} key (stage, event id) makes a redelivered or re-published event a no-op, and the
 * row is the "delivered" entry of the order's timeline.
 */
@Component("stageDelivery")
public class StageDelivery {

    private final JdbcTemplate jdbc;
    private final HubMetrics metrics;
    private final Clock clock;
    private final java.util.Map<String, StageHandler> handlers;
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    public StageDelivery(JdbcTemplate jdbc, HubMetrics metrics, Clock clock, java.util.List<StageHandler> handlers,
                         com.fasterxml.jackson.databind.ObjectMapper json) {
        this.jdbc = jdbc;
        this.metrics = metrics;
        this.clock = clock;
        this.handlers = handlers.stream().collect(java.util.stream.Collectors.toMap(StageHandler::stage, h -> h));
        this.json = json;
    }

    /**
     * The handler's call happens outside any database transaction (no connection held across a vendor call); a
     * crash between the call and the record repeats the call once, under the same Idempotency-Key.
     *
     * @return true when this delivery was recorded now, false when the stage had it already
     */
    public boolean record(Exchange exchange) throws java.io.IOException {
        Message in = exchange.getMessage();
        String stage = exchange.getProperty(Headers.STAGE, String.class);
        String eventId = in.getHeader(Headers.EVENT_ID, String.class);
        String eventType = in.getHeader(Headers.EVENT_TYPE, String.class);
        UUID orderId = UUID.fromString(in.getHeader(Headers.ORDER_ID, String.class));
        int attempts = in.getHeader("JMSXDeliveryCount", 1, Integer.class);
        StageHandler handler = handlers.get(stage);
        if (handler != null) {
            Integer seen = jdbc.queryForObject("select count(*) from stage_delivery where stage = ? and event_id = ?",
                    Integer.class, stage, eventId);
            if (seen != null && seen > 0) {
                return false;
            }
            handler.handle(json.readValue(in.getBody(String.class), io.orderhub.order.OrderEvent.class));
        }
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
