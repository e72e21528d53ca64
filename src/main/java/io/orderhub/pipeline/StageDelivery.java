package io.orderhub.pipeline;

import io.orderhub.observability.HubMetrics;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
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
 * <p>
 * A stage that takes new orders inline ({@link StageHandler#takesNewOrdersInline}) gets them from
 * {@link #deliverInline}, in the transaction that stores the order, with the same delivery row.
 */
@Component("stageDelivery")
public class StageDelivery {

    private final JdbcTemplate jdbc;
    private final HubMetrics metrics;
    private final Clock clock;
    private final java.util.Map<String, StageHandler> handlers;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final TransactionTemplate transaction;
    private final TransactionTemplate savepoint;
    private final Stages stages;

    private static final Logger log = LoggerFactory.getLogger(StageDelivery.class);

    public StageDelivery(JdbcTemplate jdbc, HubMetrics metrics, Clock clock, java.util.List<StageHandler> handlers,
                         com.fasterxml.jackson.databind.ObjectMapper json, PlatformTransactionManager transactions,
                         Stages stages) {
        this.jdbc = jdbc;
        this.stages = stages;
        this.transaction = new TransactionTemplate(transactions);
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
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
            return insertDelivery(stage, eventId, orderId, eventType, attempts);
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

    /**
     * Call inside the transaction that stores a new order: every configured stage that takes new orders inline and
     * is concerned by the event does its work and records its delivery here, each under a savepoint of its own. A
     * stage that fails is rolled back to its savepoint (the order's store goes on) and is not in the answer, so the
     * event goes to that stage's queue and its error policy.
     *
     * @return the stages that have the event now
     */
    public List<String> deliverInline(io.orderhub.order.OrderEvent event) {
        List<String> done = new ArrayList<>();
        for (String stage : stages.concerned(event)) {
            StageHandler handler = handlers.get(stage);
            if (handler == null || !handler.takesNewOrdersInline()) {
                continue;
            }
            try {
                savepoint.executeWithoutResult(tx -> {
                    handler.handle(event);
                    insertDelivery(stage, event.eventId(), event.orderId(), event.type(), 1);
                });
                done.add(stage);
            } catch (RuntimeException e) {
                log.warn("Stage {} could not take {} with the order ({}); the event goes to its queue", stage,
                        event.eventId(), DeadLetters.reason(e));
            }
        }
        if (!done.isEmpty() && TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    done.forEach(stage -> metrics.delivered(stage, event.type()));
                }
            });
        }
        return done;
    }

    private int insertDelivery(String stage, String eventId, UUID orderId, String eventType, int attempts) {
        return jdbc.update("insert into stage_delivery (stage, event_id, order_id, event_type, delivered_at, "
                        + "attempts) select ?, ?, ?, ?, ?, ? where not exists "
                        + "(select 1 from stage_delivery where stage = ? and event_id = ?)",
                stage, eventId, orderId, eventType, Timestamp.from(Instant.now(clock)), attempts, stage, eventId);
    }
}
