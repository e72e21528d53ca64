package io.orderhub.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderhub.support.EveryDatabase;
import io.orderhub.support.TestDatabases.Database;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The indexes the migrations leave on each database the hub supports (V10): the stage-delivery key leads with the
 * event id and still refuses a second delivery of one event to one stage, and each order-id lookup has exactly one
 * index, not one made for the foreign key and a second made for PostgreSQL.
 */
class SchemaIndexesTest extends EveryDatabase {

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void stageDeliveryKeyLeadsWithTheEventAndStillRefusesASecondDelivery(Database db) throws SQLException {
        assertThat(primaryKey(db, "stage_delivery")).containsExactly("event_id", "stage");
        JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
        UUID order = UUID.randomUUID();
        String insert = "insert into stage_delivery (stage, event_id, order_id, event_type, delivered_at, attempts) "
                + "values (?, ?, ?, 'order.created', ?, 1)";
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update(insert, "pos", "order.created:" + order, order, now);
        jdbc.update(insert, "kds", "order.created:" + order, order, now);
        assertThatThrownBy(() -> jdbc.update(insert, "pos", "order.created:" + order, order, now))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(jdbc.queryForObject("select count(*) from stage_delivery where stage = ? and event_id = ?",
                Integer.class, "kds", "order.created:" + order)).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void everyOrderIdLookupHasExactlyOneIndex(Database db) throws SQLException {
        for (String table : List.of("order_external_id", "vendor_order_ref", "stage_delivery", "intake")) {
            List<String> leadingOrderId = indexes(db, table).entrySet().stream()
                    .filter(index -> index.getValue().get(0).equalsIgnoreCase("order_id"))
                    .map(Map.Entry::getKey).toList();
            assertThat(leadingOrderId).as("indexes of %s starting with order_id", table).hasSize(1);
        }
    }

    private static List<String> primaryKey(Database db, String table) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            Map<Short, String> columns = new TreeMap<>();
            try (ResultSet keys = meta.getPrimaryKeys(c.getCatalog(), c.getSchema(), name(meta, table))) {
                while (keys.next()) {
                    columns.put(keys.getShort("KEY_SEQ"), keys.getString("COLUMN_NAME").toLowerCase());
                }
            }
            return new ArrayList<>(columns.values());
        }
    }

    private static Map<String, List<String>> indexes(Database db, String table) throws SQLException {
        Map<String, List<String>> indexes = new TreeMap<>();
        try (Connection c = db.dataSource().getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            try (ResultSet rows = meta.getIndexInfo(c.getCatalog(), c.getSchema(), name(meta, table), false, false)) {
                while (rows.next()) {
                    if (rows.getString("INDEX_NAME") == null || rows.getString("COLUMN_NAME") == null) {
                        continue;
                    }
                    List<String> columns = indexes.computeIfAbsent(rows.getString("INDEX_NAME"),
                            i -> new ArrayList<>());
                    int position = rows.getShort("ORDINAL_POSITION");
                    while (columns.size() < position) {
                        columns.add("");
                    }
                    columns.set(position - 1, rows.getString("COLUMN_NAME").toLowerCase());
                }
            }
        }
        return indexes;
    }

    private static String name(DatabaseMetaData meta, String identifier) throws SQLException {
        return meta.storesUpperCaseIdentifiers() ? identifier.toUpperCase() : identifier;
    }
}
