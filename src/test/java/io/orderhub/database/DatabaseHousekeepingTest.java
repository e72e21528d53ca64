package io.orderhub.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.unit.DataSize;

/** Compaction of the embedded database file, on a real H2 file opened the way the hub opens it. */
class DatabaseHousekeepingTest {

    @TempDir
    Path dir;

    private HikariDataSource pool;

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void chunksLeftPartlyUsedByCommitsAreCompacted() throws Exception {
        pool = new HikariDataSource();
        // H2 keeps outdated chunks for RETENTION_TIME (45 s by default) before they may be re-written: 1 s here
        pool.setJdbcUrl("jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=0;RETENTION_TIME=1000");
        JdbcTemplate jdbc = new JdbcTemplate(pool);
        jdbc.execute("create table t (id int primary key, note varchar(4000))");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DatabaseHousekeeping housekeeping = new DatabaseHousekeeping(pool, meters, 80, DataSize.ofMegabytes(64));
        assertThat(housekeeping.active()).isTrue();
        // one commit per statement, as the hub's stages commit: each leaves a chunk behind, mostly outdated later
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 300; i++) {
                jdbc.update("merge into t key (id) values (?, ?)", i, "round " + round + " " + "x".repeat(500));
            }
        }
        int before = housekeeping.chunksFillRate();
        assertThat(before).as("chunks left partly used by single-statement commits").isLessThan(80);
        // the gauges an operator watches report the same file
        assertThat(meters.get("orderhub.database.chunks.used").gauge().value()).isEqualTo(before);
        assertThat(meters.get("orderhub.database.file").gauge().value())
                .isEqualTo((double) java.nio.file.Files.size(dir.resolve("db.mv.db")));

        // as in the hub, commits go on between runs (each store frees the chunks left empty, once past retention)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            housekeeping.compact();
            jdbc.update("merge into t key (id) values (?, ?)", 1000, "traffic");
            assertThat(housekeeping.chunksFillRate()).as("fill rate after compaction").isGreaterThan(50);
        });
        assertThat(jdbc.queryForObject("select count(*) from t where note like 'round 3 %'", Integer.class))
                .isEqualTo(300);
    }

    @Test
    void anInMemoryDatabaseNeedsNone() throws Exception {
        pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:h2:mem:housekeeping");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DatabaseHousekeeping housekeeping = new DatabaseHousekeeping(pool, meters, 80, DataSize.ofMegabytes(16));
        assertThat(housekeeping.active()).isFalse();
        assertThat(meters.find("orderhub.database.file").gauge()).as("no file, no gauge").isNull();
        housekeeping.compact();
        assertThat(housekeeping.chunksFillRate()).isEqualTo(100);
    }
}
