package io.orderhub.database;

import java.sql.Connection;
import java.sql.SQLException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * Keeps the embedded H2 database file from growing without bound.
 * <p>
 * Why: H2 writes a new chunk of its file for every write (GroupCommit makes that one per group of commits) and
 * leaves the older chunks partly used. H2's own compaction runs in its background writer; the hub switches it off
 * ({@code AUTO_COMPACT_FILL_RATE=0}; at its default it compacts whenever the chunks are under 90 % used, which under
 * load is always, and the first group-commit attempt with it on measured no gain), and with {@code WRITE_DELAY=0}
 * there is no background writer at all: a benchmark of 6,000 orders then left a 2.2 GB file of 5,577 chunks, 12 %
 * used, and each commit rewrote a chunk list that kept growing. Every {@code orderhub.database.compact-interval} this
 * re-writes the live pages of the emptiest chunks (at most {@code compact-write-limit} per run, H2's own
 * {@link MVStore#compact(int, int)}, under H2's store lock) so their space is reused. PostgreSQL and in-memory
 * databases need none of it: then this does nothing.
 */
@Component
public class DatabaseHousekeeping {

    private static final Logger log = LoggerFactory.getLogger(DatabaseHousekeeping.class);

    private final MVStore store;
    private final int targetFillRate;
    private final int writeLimit;
    /** How long each flush and each compaction run took: H2 holds its commits during a compaction. */
    private final io.micrometer.core.instrument.Timer syncs;
    private final io.micrometer.core.instrument.Timer compactions;

    public DatabaseHousekeeping(DataSource dataSource, MeterRegistry meters,
                                @Value("${orderhub.database.compact-fill-rate:80}") int targetFillRate,
                                @Value("${orderhub.database.compact-write-limit:4MB}") DataSize writeLimit)
            throws SQLException {
        this.store = embeddedStore(dataSource);
        this.targetFillRate = targetFillRate;
        this.writeLimit = (int) writeLimit.toBytes();
        this.syncs = io.micrometer.core.instrument.Timer.builder("orderhub.database.housekeeping").tag("task", "sync")
                .description("Flushes of the embedded H2 file and compaction runs (H2 holds commits meanwhile)")
                .register(meters);
        this.compactions = io.micrometer.core.instrument.Timer.builder("orderhub.database.housekeeping")
                .tag("task", "compact").register(meters);
        if (store != null) {
            // what an operator watches on a long-running site: the file's size and how much of it is still live
            Gauge.builder("orderhub.database.file", this, h -> h.store.isClosed() ? Double.NaN
                            : h.store.getFileStore().size())
                    .baseUnit("bytes").description("Size of the embedded H2 database file").register(meters);
            Gauge.builder("orderhub.database.chunks.used", this, DatabaseHousekeeping::chunksFillRate)
                    .baseUnit("percent").description("Share of the H2 file's chunk space still live")
                    .register(meters);
        }
        if (dataSource instanceof org.springframework.jdbc.datasource.DelegatingDataSource lazy
                && lazy.getTargetDataSource() instanceof GroupCommitDataSource grouped) {
            // commits ÷ writes: how many commits share a write of the file (GroupCommit)
            io.micrometer.core.instrument.FunctionCounter.builder("orderhub.database.commits", grouped.group(),
                    GroupCommit::commits).description("Commits written to the embedded H2 file").register(meters);
            io.micrometer.core.instrument.FunctionCounter.builder("orderhub.database.writes", grouped.group(),
                    GroupCommit::writes).description("Writes of the embedded H2 file, each for one or more commits")
                    .register(meters);
        }
    }

    /** The store of an embedded H2 database on disk reached through this data source, else null. */
    static MVStore embeddedStore(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isWrapperFor(JdbcConnection.class)
                    || !(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)
                    || session.getDatabase().getStore() == null) {
                return null;
            }
            MVStore store = session.getDatabase().getStore().getMvStore();
            return store.getFileStore() == null ? null : store;
        }
    }

    /** Whether there is an embedded database file to look after. */
    public boolean active() {
        return store != null;
    }

    /** Percentage of the chunks' space still in use (100 when there is no embedded file). */
    public int chunksFillRate() {
        return store == null || store.isClosed() ? 100 : store.getFileStore().getChunksFillRate();
    }

    /**
     * Flushes the file's written chunks to the disk ({@code FileChannel.force}), so that H2's retention time
     * ({@code RETENTION_TIME}, how long a chunk no longer used is kept before its space is reused) can be a few
     * seconds: H2 assumes that whatever it wrote reaches the disk within the retention time, which without a flush
     * is up to the operating system (Linux writes dirty pages back after about 30 s, hence H2's default of 45 s).
     */
    @Scheduled(fixedDelayString = "${orderhub.database.sync-interval:1s}",
            initialDelayString = "${orderhub.database.sync-interval:1s}")
    public void sync() {
        if (store == null || store.isClosed()) {
            return;
        }
        long start = System.nanoTime();
        try {
            store.sync();
            long took = System.nanoTime() - start;
            syncs.record(took, java.util.concurrent.TimeUnit.NANOSECONDS);
            log.trace("Database file flushed in {} ms", took / 1_000_000);
        } catch (RuntimeException e) {
            log.warn("Database file flush failed: {}", e.toString());
        }
    }

    @Scheduled(fixedDelayString = "${orderhub.database.compact-interval:2s}",
            initialDelayString = "${orderhub.database.compact-interval:2s}")
    public void compact() {
        if (store == null || store.isClosed()) {
            return;
        }
        try {
            int before = store.getFileStore().getChunksFillRate();
            long start = System.nanoTime();
            if (before < targetFillRate && store.compact(targetFillRate, writeLimit)) {
                // the re-written pages go to the file with the next store: now, so the old chunks can be freed
                store.commit();
                long took = System.nanoTime() - start;
                compactions.record(took, java.util.concurrent.TimeUnit.NANOSECONDS);
                log.debug("Database chunks {} % used before compaction, {} % after, in {} ms", before,
                        store.getFileStore().getChunksFillRate(), took / 1_000_000);
            }
        } catch (RuntimeException e) {
            // the next run tries again; nothing of an order depends on this
            log.warn("Database compaction skipped: {}", e.toString());
        }
    }
}
