package io.orderhub.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether an embedded H2 database's secondary indexes agree with their tables: for every index of the schema, the
 * rows counted through the index (H2's {@code USE INDEX (i)}) and by a scan of the table ({@code USE INDEX ()}),
 * split on whether the index's first column is null. A row whose index entry is missing, or an entry without its
 * row, shows as a difference, which the hub itself would only meet when it updated or deleted that very row (H2
 * then answers "Row not found when trying to delete from index", error 90112). Reads every row once per index, so
 * for a drill's database, not a production one.
 */
public final class H2Indexes {

    private H2Indexes() {
    }

    /** One line per index whose counts differ; empty when every index agrees with its table. */
    public static List<String> inconsistent(Connection connection) throws SQLException {
        List<String[]> indexes = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("select i.table_name, i.index_name, c.column_name "
                     + "from information_schema.indexes i join information_schema.index_columns c "
                     + "on c.index_schema = i.index_schema and c.index_name = i.index_name "
                     + "and c.ordinal_position = 1 where i.table_schema = current_schema "
                     + "and i.index_type_name <> 'PRIMARY KEY'")) {
            while (r.next()) {
                indexes.add(new String[] {r.getString(1), r.getString(2), r.getString(3)});
            }
        }
        if (indexes.isEmpty()) {
            throw new IllegalStateException("no secondary index found: not an H2 database of the hub?");
        }
        List<String> differences = new ArrayList<>();
        for (String[] index : indexes) {
            String table = quote(index[0]);
            String column = quote(index[2]);
            String via = " use index (" + quote(index[1]) + ")";
            long scanned = count(connection, table, " use index ()", column + " is not null");
            long indexed = count(connection, table, via, column + " is not null");
            long scannedNull = count(connection, table, " use index ()", column + " is null");
            long indexedNull = count(connection, table, via, column + " is null");
            if (scanned != indexed || scannedNull != indexedNull) {
                differences.add(index[0] + "." + index[1] + ": table " + scanned + " + " + scannedNull
                        + " null, index " + indexed + " + " + indexedNull + " null");
            }
        }
        return differences;
    }

    private static long count(Connection connection, String table, String use, String where) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("select count(*) from " + table + use + " where " + where)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
