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
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a consumer stage does with an order event: run the stage's {@link StageHandler} if it has one (unless the
 * stage already has the event), then record, once, that the stage received it.
 * The {@code stage_delivery} key (stage, event id) makes a redelivered or re-published event a no-op, and the
 * row is the "delivered" entry of the order's timeline.
 * <p>
 * Everything a delivery writes (the handler's records: vendor calls on the timeline, tickets, references, sent
 * notifications; then the delivery row) commits once, at the end: one database commit per delivery instead of one
 * per write. A handler that fails still commits what it recorded (a failed vendor call stays on the timeline, a
 * notification sent on one channel stays sent), just not the delivery row, so the stage retries. Reads a handler
 * makes before its vendor call run outside this transaction (VendorOrderRefs), so with the lazy pool connection
 * (HubConfiguration.lazyConnections) no connection is held while a vendor answers.
 */
@Component("stageDelivery")
public class StageDelivery {

    private final JdbcTemplate jdbc;
    private final HubMetrics metrics;
    private final Clock clock;
    private final java.util.Map<String, StageHandler> handlers;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final TransactionTemplate transaction;

    public StageDelivery(JdbcTemplate jdbc, HubMetrics metrics, Clock clock, java.util.List<StageHandler> handlers,
                         com.fasterxml.jackson.databind.ObjectMapper json, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
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
        io.orderhub.order.OrderEvent event = null;
        if (handler != null) {
            Integer seen = jdbc.queryForObject("select count(*) from stage_delivery where stage = ? and event_id = ?",
                    Integer.class, stage, eventId);
            if (seen != null && seen > 0) {
                return false;
            }
            event = json.readValue(in.getBody(String.class), io.orderhub.order.OrderEvent.class);
        }
        io.orderhub.order.OrderEvent toHandle = event;
        RuntimeException[] failed = new RuntimeException[1];
        Integer inserted = transaction.execute(tx -> {
            if (toHandle != null) {
                try {
                    handler.handle(toHandle);
                } catch (RuntimeException e) {
                    failed[0] = e;
                    return 0;
                }
            }
            return jdbc.update("insert into stage_delivery (stage, event_id, order_id, event_type, delivered_at, "
                            + "attempts) select ?, ?, ?, ?, ?, ? where not exists "
                            + "(select 1 from stage_delivery where stage = ? and event_id = ?)",
                    stage, eventId, orderId, eventType, Timestamp.from(Instant.now(clock)), attempts, stage, eventId);
        });
        if (failed[0] != null) {
            throw failed[0];
        }
        if (inserted == null || inserted == 0) {
            return false;
        }
        metrics.delivered(stage, eventType);
        return true;
    }
}
