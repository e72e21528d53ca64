package io.orderhub.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.transaction.support.TransactionTemplate;

class GroupCommitTest {

    @TempDir
    Path dir;

    private final List<HikariDataSource> pools = new ArrayList<>();

    @AfterEach
    void close() {
        pools.forEach(HikariDataSource::close);
    }

    @Test
    void commitsThatArriveDuringAWriteShareTheNextOne() throws Exception {
        AtomicLong committed = new AtomicLong();
        AtomicLong inFile = new AtomicLong();
        AtomicInteger writes = new AtomicInteger();
        GroupCommit[] group = new GroupCommit[1];
        group[0] = new GroupCommit(() -> {
            long upTo = committed.get();
            if (writes.incrementAndGet() == 1) {
                // the first write is slow: every other thread commits and asks while it runs
                await().atMost(Duration.ofSeconds(10)).until(() -> group[0].requested() == 8);
            }
            inFile.accumulateAndGet(upTo, Math::max);
        });
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(threads.submit(() -> {
                    long mine = committed.incrementAndGet();
                    group[0].awaitWritten();
                    return inFile.get() - mine;
                }));
            }
            for (Future<Long> result : results) {
                assertThat(result.get()).as("a commit returns only when the file has it").isGreaterThanOrEqualTo(0);
            }
        } finally {
            threads.shutdownNow();
        }
        // the first write for the first commit, one more for the seven that waited
        assertThat(writes.get()).isEqualTo(2);
    }

    @Test
    void underConcurrentCommitsEveryOneIsCoveredAndWritesAreShared() throws Exception {
        AtomicLong committed = new AtomicLong();
        AtomicLong inFile = new AtomicLong();
        AtomicInteger writes = new AtomicInteger();
        GroupCommit group = new GroupCommit(() -> {
            writes.incrementAndGet();
            inFile.accumulateAndGet(committed.get(), Math::max);
        });
        ExecutorService threads = Executors.newFixedThreadPool(8);
        AtomicInteger uncovered = new AtomicInteger();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 2000; i++) {
                        long mine = committed.incrementAndGet();
                        group.awaitWritten();
                        if (inFile.get() < mine) {
                            uncovered.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(uncovered.get()).isZero();
        assertThat(writes.get()).isLessThanOrEqualTo(16_000);
        // what the hub's metrics report: every commit counted once, in the writes that happened
        assertThat(group.commits()).isEqualTo(16_000);
        assertThat(group.writes()).isEqualTo(writes.get());
    }

    @Test
    void aFailedWriteFailsItsCommitAndTheNextCommitWritesAgain() {
        AtomicInteger attempts = new AtomicInteger();
        GroupCommit group = new GroupCommit(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("disk full");
            }
        });
        assertThatThrownBy(group::awaitWritten).hasMessage("disk full");
        group.awaitWritten();
        assertThat(attempts.get()).isEqualTo(2);
        // the failed write counts neither as a write nor its commit as written; the next write covers both commits
        assertThat(group.writes()).isEqualTo(1);
        assertThat(group.commits()).isEqualTo(2);
    }

    @Test
    void aCommitReturnsWithItsRowsInTheFile() throws Exception {
        // H2 writing only in the background, every 10 s: without the group commit a commit is in memory only
        DataSource wrapped = GroupCommitDataSource.wrapIfNeeded(pool("durable", 10_000));
        assertThat(wrapped).isInstanceOf(GroupCommitDataSource.class);
        DataSource hub = new LazyConnectionDataSourceProxy(wrapped);   // as the hub wires it (HubConfiguration)
        JdbcTemplate jdbc = new JdbcTemplate(hub);
        jdbc.execute("create table ticket (id int primary key, note varchar(100))");
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(hub));

        tx.executeWithoutResult(s -> {
            jdbc.update("insert into ticket values (1, 'in a transaction')");
            jdbc.update("insert into ticket values (2, 'same transaction')");
        });
        assertThat(rowsInACopyOfTheFile("durable")).as("what a killed process would leave").contains(1, 2);

        jdbc.update("insert into ticket values (3, 'auto-commit')");
        assertThat(rowsInACopyOfTheFile("durable")).contains(1, 2, 3);

        tx.executeWithoutResult(s -> {
            jdbc.update("insert into ticket values (4, 'rolled back')");
            s.setRollbackOnly();
        });
        assertThat(jdbc.queryForObject("select count(*) from ticket", Integer.class)).isEqualTo(3);

        // the hub's metrics: the commits that waited for the file (create table, the transaction, the auto-commit
        // insert; not the rollback, not the read) and the writes they took
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        new DatabaseHousekeeping(hub, meters, 80, org.springframework.util.unit.DataSize.ofMegabytes(4));
        assertThat(meters.get("orderhub.database.commits").functionCounter().count()).isEqualTo(3);
        assertThat(meters.get("orderhub.database.writes").functionCounter().count()).isEqualTo(3);
    }

    @Test
    void withoutItTheSameCommitIsNotInTheFile() throws Exception {
        // the control for the test above: the same pool, not wrapped
        DataSource pool = pool("control", 10_000);
        JdbcTemplate jdbc = new JdbcTemplate(pool);
        jdbc.execute("create table ticket (id int primary key, note varchar(100))");
        jdbc.update("insert into ticket values (1, 'auto-commit')");
        assertThat(jdbc.queryForObject("select count(*) from ticket", Integer.class)).isEqualTo(1);
        assertThat(rowsInACopyOfTheFile("control")).isEmpty();
    }

    @Test
    void aDatabaseThatWritesEachCommitItselfIsLeftAsItIs() throws Exception {
        DataSource everyCommit = pool("direct", 0);
        assertThat(GroupCommitDataSource.wrapIfNeeded(everyCommit)).isSameAs(everyCommit);
        HikariDataSource memory = new HikariDataSource();
        memory.setJdbcUrl("jdbc:h2:mem:group-commit");
        pools.add(memory);
        assertThat(GroupCommitDataSource.wrapIfNeeded(memory)).isSameAs(memory);
    }

    private DataSource pool(String name, int writeDelay) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:h2:file:" + dir.resolve(name) + ";WRITE_DELAY=" + writeDelay);
        pools.add(pool);
        return pool;
    }

    /** The ids of table ticket in a copy of the database file taken now (what a SIGKILL now would leave on disk). */
    private List<Integer> rowsInACopyOfTheFile(String name) throws Exception {
        Path copy = Files.createTempDirectory(dir, "copy");
        Files.copy(dir.resolve(name + ".mv.db"), copy.resolve("db.mv.db"), StandardCopyOption.REPLACE_EXISTING);
        List<Integer> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + copy.resolve("db"));
             ResultSet tables = c.getMetaData().getTables(null, null, "TICKET", null)) {
            if (!tables.next()) {
                return ids;
            }
            try (ResultSet rs = c.createStatement().executeQuery("select id from ticket order by id")) {
                while (rs.next()) {
                    ids.add(rs.getInt(1));
                }
            }
        }
        return ids;
    }
}
