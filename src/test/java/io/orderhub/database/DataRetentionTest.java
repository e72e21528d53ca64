package io.orderhub.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderhub.support.EveryDatabase;
import io.orderhub.support.TestDatabases.Database;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The retention job on each database the hub supports (H2 always, PostgreSQL when configured): what is old goes
 * with every row about it, in batches; what is recent, still in progress or still waiting for an operator stays.
 */
class DataRetentionTest extends EveryDatabase {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final List<String> ORDER_TABLES = List.of("orders", "order_external_id", "order_timeline",
            "stage_delivery", "kitchen_ticket", "customer_notification", "vendor_order_ref", "intake");

    private static DataRetention retention(Database db, SimpleMeterRegistry meters, Duration orders, int batch) {
        return new DataRetention(new NamedParameterJdbcTemplate(db.dataSource()),
                new TransactionTemplate(new DataSourceTransactionManager(db.dataSource())),
                Clock.fixed(NOW, ZoneOffset.UTC), meters, orders, Duration.ofDays(400), batch);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void ordersUnchangedForTheRetentionGoWithEveryRowAboutThemAndTheRestStays(Database db) {
        JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
        List<UUID> old = Stream.generate(() -> order(jdbc, days(100), days(95))).limit(7).toList();
        UUID recentlyChanged = order(jdbc, days(100), days(1));   // created long ago, moved yesterday
        UUID waitingForOperator = order(jdbc, days(100), days(95));
        deadLetter(jdbc, waitingForOperator, "OPEN", days(95));
        deadLetter(jdbc, null, "REPLAYED", days(95));              // resolved long ago: goes
        deadLetter(jdbc, null, "OPEN", days(120));                 // still open: stays, however old
        UUID rejectedOld = intake(jdbc, null, "REJECTED", days(100));
        UUID stillReceived = intake(jdbc, null, "RECEIVED", days(100));
        UUID rejectedRecent = intake(jdbc, null, "REJECTED", days(2));
        deliveryFailure(jdbc, "old", days(100));
        deliveryFailure(jdbc, "recent", days(1));
        audit(jdbc, days(500));
        audit(jdbc, days(100));

        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        // batches of 3: the 7 old orders take three transactions
        Map<String, Integer> deleted = retention(db, meters, Duration.ofDays(90), 3).purge();

        for (UUID id : old) {
            for (String table : ORDER_TABLES) {
                assertThat(rows(jdbc, table, id)).as(table + " of an old order").isZero();
            }
        }
        for (UUID id : List.of(recentlyChanged, waitingForOperator)) {
            for (String table : ORDER_TABLES) {
                assertThat(rows(jdbc, table, id)).as(table + " of an order that stays").isPositive();
            }
        }
        assertThat(jdbc.queryForList("select business_key from orders", String.class))
                .as("business keys the duplicate check still knows")
                .containsExactlyInAnyOrder("test:" + recentlyChanged, "test:" + waitingForOperator);
        assertThat(jdbc.queryForList("select id from intake where order_id is null", UUID.class))
                .containsExactlyInAnyOrder(stillReceived, rejectedRecent).doesNotContain(rejectedOld);
        assertThat(jdbc.queryForList("select state from dead_letter order by state", String.class))
                .containsExactly("OPEN", "OPEN");
        assertThat(jdbc.queryForList("select message_key from delivery_failure", String.class))
                .containsExactly("recent");
        assertThat(jdbc.queryForObject("select count(*) from audit_log", Integer.class)).isEqualTo(1);

        assertThat(deleted).containsEntry("orders", 7).containsEntry("order_timeline", 14)
                .containsEntry("intake", 8).doesNotContainKey("CAMEL_MESSAGEPROCESSED")
                .containsEntry("dead_letter", 1).containsEntry("delivery_failure", 1).containsEntry("audit_log", 1);
        assertThat(meters.get("orderhub.retention.deleted").tag("table", "orders").counter().count()).isEqualTo(7);

        // a second run finds nothing more
        assertThat(retention(db, meters, Duration.ofDays(90), 3).purge().values()).allMatch(n -> n == 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aRetentionOfZeroKeepsOrders(Database db) {
        JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
        UUID id = order(jdbc, days(1000), days(1000));
        retention(db, new SimpleMeterRegistry(), Duration.ZERO, 500).purge();
        assertThat(rows(jdbc, "orders", id)).isEqualTo(1);
    }

    private static Timestamp days(int ago) {
        return Timestamp.from(NOW.minus(Duration.ofDays(ago)));
    }

    private static int rows(JdbcTemplate jdbc, String table, UUID order) {
        return jdbc.queryForObject("select count(*) from " + table + " where " + ("orders".equals(table) ? "id"
                : "order_id") + " = ?", Integer.class, order);
    }

    /** An order with a row in every table that records something about an order, as the stages leave them. */
    private static UUID order(JdbcTemplate jdbc, Timestamp created, Timestamp updated) {
        UUID id = UUID.randomUUID();
        String key = "test:" + id;
        jdbc.update("insert into orders (id, business_key, source, channel, location_id, status, version, total_minor,"
                + " currency, correlation_id, created_at, updated_at, document) values (?, ?, 'test', 'web', 'loc-1',"
                + " 'COMPLETED', 3, 2350, 'EUR', 'c', ?, ?, '{}')", id, key, created, updated);
        jdbc.update("insert into order_external_id (order_id, system, external_id) values (?, 'test', ?)", id, key);
        intake(jdbc, id, "ACCEPTED", created);
        for (String kind : List.of("received", "accepted")) {
            jdbc.update("insert into order_timeline (order_id, at, kind) values (?, ?, ?)", id, created, kind);
        }
        jdbc.update("insert into stage_delivery (stage, event_id, order_id, event_type, delivered_at, attempts)"
                + " values ('pos', ?, ?, 'order.created', ?, 1)", "e-" + id, id, created);
        jdbc.update("insert into kitchen_ticket (id, order_id, location_id, station, order_type, channel, priority,"
                + " state, fire_at, due_at, created_at, items) values (?, ?, 'loc-1', 'grill', 'pickup', 'web',"
                + " 'normal', 'BUMPED', ?, ?, ?, '[]')", UUID.randomUUID(), id, created, created, created);
        jdbc.update("insert into customer_notification (order_id, kind, channel, message_id, state, attempts,"
                + " created_at) values (?, 'confirmed', 'sms', ?, 'SENT', 1, ?)", id, "m-" + id, created);
        jdbc.update("insert into vendor_order_ref (adapter, order_id, vendor_order_id, updated_at) values"
                + " ('square', ?, ?, ?)", id, "sq-" + id, updated);
        return id;
    }

    private static UUID intake(JdbcTemplate jdbc, UUID order, String state, Timestamp received) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into intake (id, source, fingerprint, business_key, content_type, payload, state,"
                + " order_id, correlation_id, received_at) values (?, 'test', 'f', ?, 'application/json', '{}', ?, ?,"
                + " 'c', ?)", id, "test:" + id, state, order, received);
        return id;
    }

    private static void deadLetter(JdbcTemplate jdbc, UUID order, String state, Timestamp at) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into dead_letter (id, message_key, queue, stage, order_id, error_class, error_name, reason, attempts,"
                + " first_failure_at, last_failure_at, state, state_changed_at, headers, payload) values (?, ?,"
                + " 'orderhub.stage.pos', 'pos', ?, 'X', 'X', 'r', 5, ?, ?, ?, ?, '{}', '{}')", id, "k-" + id, order, at,
                at, state, at);
    }

    private static void deliveryFailure(JdbcTemplate jdbc, String key, Timestamp at) {
        jdbc.update("insert into delivery_failure (message_key, queue, attempts, first_failure_at, last_failure_at,"
                + " last_reason) values (?, 'q', 1, ?, ?, 'r')", key, at, at);
    }

    private static void audit(JdbcTemplate jdbc, Timestamp at) {
        jdbc.update("insert into audit_log (at, actor, action) values (?, 'admin', 'login')", at);
    }
}
