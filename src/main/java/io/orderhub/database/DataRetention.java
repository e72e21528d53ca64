package io.orderhub.database;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderhub.console.DeadLetterStore;
import io.orderhub.intake.IntakeRecord.IntakeState;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes what the hub no longer needs, so that a site's database stays the size of its recent business.
 * <p>
 * An order goes, with everything recorded about it (intake payloads, timeline, stage deliveries, kitchen tickets,
 * customer notifications, vendor references, its business key), once nothing has changed it for
 * {@code orderhub.retention.orders} (90 days by default), unless an operator still has an open dead letter about
 * it. The hub's duplicate check then forgets the order too: a vendor re-sending it after that long would make a new
 * order; vendors retry for hours, not months. Intake that never became an order, resolved dead letters and
 * delivery failures go after the same time; the operators' audit log after {@code orderhub.retention.audit}
 * (400 days). Intake still being processed and open dead letters are never deleted. A duration of 0 keeps
 * everything.
 * <p>
 * Deletes run in batches of {@code orderhub.retention.batch-size} orders, one transaction each, so that a first run
 * on a large database never holds a long transaction. Standard SQL, for H2 and PostgreSQL alike.
 */
@Component
public class DataRetention {

    private static final Logger log = LoggerFactory.getLogger(DataRetention.class);

    /** The tables that hang off an order, in an order that respects their foreign keys. */
    private static final List<String> ORDER_TABLES = List.of("order_timeline", "stage_delivery", "kitchen_ticket",
            "customer_notification", "vendor_order_ref", "order_external_id", "intake");

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Duration orders;
    private final Duration audit;
    private final int batchSize;
    private final Map<String, Counter> deleted = new ConcurrentHashMap<>();

    public DataRetention(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, Clock clock, MeterRegistry meters,
                         @Value("${orderhub.retention.orders:90d}") Duration orders,
                         @Value("${orderhub.retention.audit:400d}") Duration audit,
                         @Value("${orderhub.retention.batch-size:100}") int batchSize) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.meters = meters;
        this.orders = orders;
        this.audit = audit;
        this.batchSize = batchSize;
    }

    @Scheduled(fixedDelayString = "${orderhub.retention.interval:10m}",
            initialDelayString = "${orderhub.retention.interval:10m}")
    public void scheduled() {
        try {
            Map<String, Integer> counts = purge();
            if (counts.values().stream().anyMatch(n -> n > 0)) {
                log.info("Retention deleted {}", counts);
            }
        } catch (RuntimeException e) {
            // the next run tries again; nothing a vendor or a kitchen waits for depends on this
            log.warn("Retention run failed: {}", e.toString());
        }
    }

    /** One pass over every table; answers the rows deleted per table. */
    public Map<String, Integer> purge() {
        Instant now = clock.instant();
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (!orders.isZero()) {
            Timestamp cutoff = Timestamp.from(now.minus(orders));
            purgeOrders(cutoff, counts);
            MapSqlParameterSource at = new MapSqlParameterSource("cutoff", cutoff)
                    .addValue("received", IntakeState.RECEIVED.name())
                    .addValue("open", DeadLetterStore.OPEN);
            // intake that never became an order (rejected, failed, duplicates of an order): by when it came in
            count(counts, "intake", jdbc.update("delete from intake where order_id is null and state <> :received"
                    + " and received_at < :cutoff", at));
            count(counts, "dead_letter", jdbc.update("delete from dead_letter where state <> :open"
                    + " and state_changed_at < :cutoff", at));
            count(counts, "delivery_failure", jdbc.update("delete from delivery_failure"
                    + " where last_failure_at < :cutoff", at));
        }
        if (!audit.isZero()) {
            count(counts, "audit_log", jdbc.update("delete from audit_log where at < :cutoff",
                    new MapSqlParameterSource("cutoff", Timestamp.from(now.minus(audit)))));
        }
        return counts;
    }

    private void purgeOrders(Timestamp cutoff, Map<String, Integer> counts) {
        MapSqlParameterSource select = new MapSqlParameterSource("cutoff", cutoff)
                .addValue("open", DeadLetterStore.OPEN);
        while (true) {
            Integer batch = tx.execute(status -> {
                List<Map<String, Object>> rows = jdbc.queryForList("select o.id from orders o"
                        + " where o.updated_at < :cutoff and not exists (select 1 from dead_letter d"
                        + " where d.order_id = o.id and d.state = :open)"
                        + " order by o.updated_at fetch first " + batchSize + " rows only", select);
                if (rows.isEmpty()) {
                    return 0;
                }
                List<UUID> ids = rows.stream().map(r -> (UUID) r.get("id")).toList();
                MapSqlParameterSource in = new MapSqlParameterSource("ids", ids);
                for (String table : ORDER_TABLES) {
                    count(counts, table, jdbc.update("delete from " + table + " where order_id in (:ids)", in));
                }
                count(counts, "orders", jdbc.update("delete from orders where id in (:ids)", in));
                return rows.size();
            });
            if (batch == null || batch < batchSize) {
                return;
            }
        }
    }

    private void count(Map<String, Integer> counts, String table, int rows) {
        counts.merge(table, rows, Integer::sum);
        if (rows > 0) {
            deleted.computeIfAbsent(table, t -> Counter.builder("orderhub.retention.deleted").tag("table", t)
                    .description("Rows deleted by the retention job").register(meters)).increment(rows);
        }
    }
}
