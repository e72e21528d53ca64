package db.migration;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Fewer index pages written per order (docs/benchmarks.md "Index pages per order"). A Java migration because the
 * names it changes differ between the databases: V1 declared the keys and foreign keys without names, so H2 and
 * PostgreSQL named them differently; this looks them up.
 * <ul>
 * <li>{@code stage_delivery}'s key becomes (event_id, stage) instead of (stage, event_id). Event ids grow with time
 * (they carry the order's time-ordered id), so the deliveries of one event to its three or four stages now sit
 * side by side at one edge of the index instead of at four, and a write of the embedded database puts out one
 * leaf of that index and its parents instead of four. Lookups are by both columns, which either order serves.</li>
 * <li>An index on {@code order_id} that V8 added for PostgreSQL is dropped where the database already has one that
 * starts with that column: H2 indexes every column that references another table, so on H2 each row of
 * {@code order_external_id} and {@code vendor_order_ref} went into two identical indexes.</li>
 * </ul>
 */
public class V10__Fewer_index_pages_per_order extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        DatabaseMetaData meta = connection.getMetaData();
        try (Statement sql = connection.createStatement()) {
            String key = primaryKeyName(connection, meta, "stage_delivery");
            sql.execute("alter table stage_delivery drop constraint " + key);
            sql.execute("alter table stage_delivery add constraint stage_delivery_key primary key (event_id, stage)");
            for (String table : List.of("order_external_id", "vendor_order_ref")) {
                String ours = table + "_order";
                Map<String, List<String>> indexes = indexes(connection, meta, table);
                boolean another = indexes.entrySet().stream().anyMatch(index -> !index.getKey().equalsIgnoreCase(ours)
                        && index.getValue().get(0).equalsIgnoreCase("order_id"));
                if (another && indexes.keySet().stream().anyMatch(ours::equalsIgnoreCase)) {
                    sql.execute("drop index " + ours);
                }
            }
        }
    }

    private static String name(DatabaseMetaData meta, String identifier) throws SQLException {
        return meta.storesUpperCaseIdentifiers() ? identifier.toUpperCase() : identifier;
    }

    private static String primaryKeyName(Connection connection, DatabaseMetaData meta, String table)
            throws SQLException {
        try (ResultSet keys = meta.getPrimaryKeys(connection.getCatalog(), connection.getSchema(), name(meta, table))) {
            if (!keys.next()) {
                throw new IllegalStateException("no primary key on " + table);
            }
            return keys.getString("PK_NAME");
        }
    }

    /** Each index of the table with its columns in order. */
    private static Map<String, List<String>> indexes(Connection connection, DatabaseMetaData meta, String table)
            throws SQLException {
        Map<String, List<String>> indexes = new LinkedHashMap<>();
        try (ResultSet rows = meta.getIndexInfo(connection.getCatalog(), connection.getSchema(), name(meta, table),
                false, false)) {
            while (rows.next()) {
                String index = rows.getString("INDEX_NAME");
                String column = rows.getString("COLUMN_NAME");
                if (index == null || column == null) {
                    continue;
                }
                List<String> columns = indexes.computeIfAbsent(index, i -> new ArrayList<>());
                int position = rows.getShort("ORDINAL_POSITION");
                while (columns.size() < position) {
                    columns.add("");
                }
                columns.set(position - 1, column);
            }
        }
        return indexes;
    }
}
