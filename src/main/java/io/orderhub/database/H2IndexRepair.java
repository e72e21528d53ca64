package io.orderhub.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Rebuilds an index of the embedded H2 file that has lost a row's entry.
 * <p>
 * Why: a SIGKILL once left the H2 file with a table row whose index entry was missing (H2 2.3.232; the crash drill,
 * docs/reliability.md). H2 then fails every update or delete of that row with "Row not found when trying to delete
 * from index" (error 90112), which it retries as a lock conflict until its lock timeout, so the order's message
 * would retry into the dead-letter queue and its replay would fail the same way: no retry repairs it. H2 has no
 * REINDEX, so this builds the index again from its table: a new index with the same columns under a temporary
 * name, then the old one dropped and the new one renamed (the table is never without the index, a unique one keeps
 * checking). An index that belongs to a constraint (a primary key, a unique or foreign-key constraint) cannot be
 * dropped on its own: that is logged with what to do, not repaired.
 * <p>
 * {@link #watching} wraps the JDBC exception translator (HubConfiguration), so any statement of the hub that meets
 * the error starts the rebuild, on its own thread: the failing transaction still holds the row, and the rebuild
 * waits for its rollback. The failure itself goes on as before (a transient failure: the stage retries, and finds
 * the index whole). One rebuild per index per {@code orderhub.database.index-repair-interval}. On PostgreSQL the
 * error never occurs and nothing here runs.
 */
public class H2IndexRepair implements AutoCloseable {

    /** H2's "Row not found when trying to delete from index" (ErrorCode.ROW_NOT_FOUND_WHEN_DELETING_1). */
    public static final int ROW_NOT_FOUND_WHEN_DELETING = 90112;
    private static final Pattern INDEX = Pattern.compile("from index \"([^\".]+)\\.([^\".:]+)");
    private static final Logger log = LoggerFactory.getLogger(H2IndexRepair.class);

    /** What a rebuild did. */
    public enum Outcome { REBUILT, BELONGS_TO_CONSTRAINT, NOT_FOUND }

    private final DataSource dataSource;
    private final Duration interval;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, Instant> lastAttempt = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "h2-index-repair");
        t.setDaemon(true);
        return t;
    });

    public H2IndexRepair(DataSource dataSource, Duration interval, Clock clock, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.interval = interval;
        this.clock = clock;
        this.meters = meters;
    }

    /** The translator given, which also starts a rebuild when an exception names an index that lost a row. */
    public SQLExceptionTranslator watching(SQLExceptionTranslator translator) {
        return (task, sql, ex) -> {
            onFailure(ex);
            return translator.translate(task, sql, ex);
        };
    }

    /**
     * Starts the rebuild of the index a failure names, if it names one that lost a row and that index was not
     * rebuilt within the interval; returns the rebuild's future, or null when nothing was started.
     */
    public Future<Outcome> onFailure(Throwable failure) {
        String[] index = lostIndex(failure);
        if (index == null) {
            return null;
        }
        String key = index[0] + "." + index[1];
        Instant now = Instant.now(clock);
        Instant previous = lastAttempt.get(key);
        if (previous != null && previous.plus(interval).isAfter(now) || !claim(key, previous, now)) {
            return null;
        }
        log.error("H2 index {} has lost a row's entry (left by a killed process: docs/reliability.md); rebuilding it "
                + "from its table", key);
        return worker.submit(() -> {
            try {
                return rebuild(index[0], index[1]);
            } catch (SQLException | RuntimeException e) {
                log.error("Rebuilding H2 index {} failed: {}", key, e.toString());
                throw e;
            }
        });
    }

    private boolean claim(String key, Instant previous, Instant now) {
        return previous == null ? lastAttempt.putIfAbsent(key, now) == null : lastAttempt.replace(key, previous, now);
    }

    /** Schema and name of the index an H2 "row not found when deleting from index" names, anywhere in the causes. */
    static String[] lostIndex(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == ROW_NOT_FOUND_WHEN_DELETING
                    && sql.getMessage() != null) {
                Matcher m = INDEX.matcher(sql.getMessage());
                if (m.find()) {
                    return new String[] {m.group(1), m.group(2)};
                }
            }
        }
        return null;
    }

    /** Builds the index again from its table (same columns, order, uniqueness); see the class comment. */
    public Outcome rebuild(String schema, String index) throws SQLException {
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            String table;
            boolean unique;
            try (PreparedStatement p = c.prepareStatement("select table_name, index_type_name "
                    + "from information_schema.indexes where index_schema = ? and index_name = ?")) {
                p.setString(1, schema);
                p.setString(2, index);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        log.warn("H2 index {}.{} not found: nothing to rebuild", schema, index);
                        return Outcome.NOT_FOUND;
                    }
                    table = r.getString(1);
                    unique = r.getString(2).contains("UNIQUE") || r.getString(2).contains("PRIMARY");
                }
            }
            try (PreparedStatement p = c.prepareStatement("select constraint_name from "
                    + "information_schema.table_constraints where index_schema = ? and index_name = ?")) {
                p.setString(1, schema);
                p.setString(2, index);
                try (ResultSet r = p.executeQuery()) {
                    if (r.next()) {
                        log.error("H2 index {}.{} belongs to constraint {} of {} and cannot be rebuilt on its own: "
                                + "stop the hub, rebuild it by hand (docs/reliability.md) or restore the database",
                                schema, index, r.getString(1), table);
                        meters.counter("orderhub.database.index.repairs", "index", index, "outcome",
                                "not-repairable").increment();
                        return Outcome.BELONGS_TO_CONSTRAINT;
                    }
                }
            }
            List<String> columns = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("select column_name, ordering_specification, "
                    + "null_ordering from information_schema.index_columns where index_schema = ? "
                    + "and index_name = ? order by ordinal_position")) {
                p.setString(1, schema);
                p.setString(2, index);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        String nulls = r.getString(3);
                        columns.add(quote(r.getString(1)) + " " + r.getString(2)
                                + (nulls == null ? "" : " NULLS " + nulls));
                    }
                }
            }
            String fresh = index + "_REBUILT";
            try (Statement s = c.createStatement()) {
                s.execute("drop index if exists " + quote(schema) + "." + quote(fresh));
                s.execute("create " + (unique ? "unique " : "") + "index " + quote(fresh) + " on " + quote(schema)
                        + "." + quote(table) + " (" + String.join(", ", columns) + ")");
                s.execute("drop index " + quote(schema) + "." + quote(index));
                s.execute("alter index " + quote(schema) + "." + quote(fresh) + " rename to " + quote(index));
            }
            log.warn("H2 index {}.{} on {} rebuilt from its table in {} ms", schema, index, table,
                    (System.nanoTime() - started) / 1_000_000);
            meters.counter("orderhub.database.index.repairs", "index", index, "outcome", "rebuilt").increment();
            return Outcome.REBUILT;
        }
    }

    private static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
