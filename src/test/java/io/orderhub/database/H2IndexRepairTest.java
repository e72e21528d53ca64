package io.orderhub.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderhub.support.H2Indexes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.h2.engine.SessionLocal;
import org.h2.index.Index;
import org.h2.jdbc.JdbcConnection;
import org.h2.table.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An index of the embedded H2 database that lost a row's entry (what a kill left once: docs/reliability.md), made
 * here by removing entries through H2's own index API: the first update of such a row fails as the hub's did, the
 * failure starts a rebuild, and once it is done the index agrees with its table and the same update succeeds. An
 * index that belongs to a constraint is reported, not dropped.
 */
class H2IndexRepairTest {

    private HikariDataSource pool;
    private H2IndexRepair repair;
    private JdbcTemplate jdbc;
    private SimpleMeterRegistry meters;

    @BeforeEach
    void database() {
        pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:h2:mem:repair" + UUID.randomUUID().toString().replace("-", "")
                + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=300");
        pool.setUsername("sa");
        meters = new SimpleMeterRegistry();
        repair = new H2IndexRepair(pool, Duration.ofMinutes(10), Clock.systemUTC(), meters);
        jdbc = new JdbcTemplate(pool);
        jdbc.setExceptionTranslator(repair.watching(jdbc.getExceptionTranslator()));
        jdbc.execute("create table intake (id uuid primary key, client_id varchar(64), idempotency_key varchar(64), "
                + "state varchar(16) not null, order_id uuid, received_at timestamp not null, "
                + "constraint intake_client_key unique (client_id, idempotency_key))");
        jdbc.execute("create index intake_order on intake (order_id)");
        jdbc.execute("create unique index intake_key_desc on intake (idempotency_key desc nulls last)");
    }

    @AfterEach
    void close() {
        repair.close();
        pool.close();
    }

    private UUID intake(String key) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into intake (id, client_id, idempotency_key, state, received_at) "
                + "values (?, 'web', ?, 'RECEIVED', current_timestamp)", id, key);
        return id;
    }

    /** Removes the rows' entries from the index, committed, as a kill left it. */
    private void loseEntries(String indexName, UUID... ids) throws SQLException {
        try (Connection c = pool.getConnection()) {
            SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
            Table table = session.getDatabase().getMainSchema().getTableOrView(session, "INTAKE");
            Index index = session.getDatabase().getMainSchema().getIndex(indexName);
            c.setAutoCommit(false);
            for (UUID id : ids) {
                Long key = jdbc.queryForObject("select _rowid_ from intake where id = ?", Long.class, id);
                index.remove(session, table.getRow(session, key));
            }
            c.commit();
        }
    }

    private java.util.List<String> inconsistent() throws SQLException {
        try (Connection c = pool.getConnection()) {
            return H2Indexes.inconsistent(c);
        }
    }

    @Test
    void anIndexThatLostRowsIsRebuiltAfterTheFirstFailureAndTheUpdateThenSucceeds() throws Exception {
        UUID lost = intake("a");
        UUID alsoLost = intake("b");
        UUID kept = intake("c");
        loseEntries("INTAKE_ORDER", lost, alsoLost);
        assertThat(inconsistent()).hasSize(1);

        UUID order = UUID.randomUUID();
        assertThatThrownBy(() -> jdbc.update("update intake set state = 'ACCEPTED', order_id = ? where id = ?",
                order, lost)).isInstanceOf(DataAccessException.class)
                .hasStackTraceContaining("Row not found when trying to delete from index \"PUBLIC.INTAKE_ORDER");

        await().atMost(Duration.ofSeconds(20)).until(() -> inconsistent().isEmpty());
        assertThat(jdbc.update("update intake set state = 'ACCEPTED', order_id = ? where id = ?", order, lost))
                .isEqualTo(1);
        assertThat(jdbc.queryForList("select id from intake where order_id = ?", UUID.class, order))
                .containsExactly(lost);
        assertThat(jdbc.queryForObject("select count(*) from intake where order_id is null", Integer.class))
                .isEqualTo(2);
        assertThat(jdbc.queryForList("select index_name from information_schema.indexes where table_name = "
                + "'INTAKE' and index_name like 'INTAKE_ORDER%'", String.class)).containsExactly("INTAKE_ORDER");
        assertThat(meters.get("orderhub.database.index.repairs").tag("outcome", "rebuilt").counter().count())
                .isEqualTo(1);
        assertThat(kept).isNotNull();
        assertThat(alsoLost).isNotNull();
    }

    @Test
    void aUniqueIndexIsRebuiltUniqueWithItsColumnOrder() throws Exception {
        UUID lost = intake("k1");
        intake("k2");
        loseEntries("INTAKE_KEY_DESC", lost);
        Future<H2IndexRepair.Outcome> rebuilt = repair.onFailure(failureNaming("PUBLIC.INTAKE_KEY_DESC"));
        assertThat(rebuilt.get(20, TimeUnit.SECONDS)).isEqualTo(H2IndexRepair.Outcome.REBUILT);
        assertThat(inconsistent()).isEmpty();
        // still unique (another client, so only this index can refuse it)
        assertThatThrownBy(() -> jdbc.update("insert into intake (id, client_id, idempotency_key, state, "
                + "received_at) values (?, 'app', 'k2', 'RECEIVED', current_timestamp)", UUID.randomUUID()))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("INTAKE_KEY_DESC");
        assertThat(jdbc.queryForObject("select ordering_specification || ' ' || null_ordering from "
                + "information_schema.index_columns where index_name = 'INTAKE_KEY_DESC'", String.class))
                .isEqualTo("DESC LAST");
        // within the interval, the same index is not rebuilt again
        assertThat(repair.onFailure(failureNaming("PUBLIC.INTAKE_KEY_DESC"))).isNull();
    }

    @Test
    void anIndexOfAConstraintIsReportedNotDropped() throws Exception {
        String constraintIndex = jdbc.queryForObject("select index_name from information_schema.table_constraints "
                + "where constraint_name = 'INTAKE_CLIENT_KEY'", String.class);
        Future<H2IndexRepair.Outcome> outcome = repair.onFailure(failureNaming("PUBLIC." + constraintIndex));
        assertThat(outcome.get(20, TimeUnit.SECONDS)).isEqualTo(H2IndexRepair.Outcome.BELONGS_TO_CONSTRAINT);
        assertThat(jdbc.queryForObject("select count(*) from information_schema.indexes where index_name = ?",
                Integer.class, constraintIndex)).isEqualTo(1);
        assertThat(meters.get("orderhub.database.index.repairs").tag("outcome", "not-repairable").counter().count())
                .isEqualTo(1);
    }

    @Test
    void otherFailuresStartNothing() {
        assertThat(repair.onFailure(new SQLException("Timeout trying to lock table", "HYT00", 50200))).isNull();
        assertThat(repair.onFailure(new IllegalStateException("no SQL at all"))).isNull();
    }

    /** H2's failure as the hub met it: a lock timeout whose cause names the index. */
    private static SQLException failureNaming(String index) {
        SQLException timeout = new SQLException("Timeout trying to lock table {0}", "HYT00", 50200);
        timeout.initCause(new RuntimeException("wrapped", new SQLException(
                "Row not found when trying to delete from index \"" + index + ": 3\"", "HY000", 90112)));
        return timeout;
    }
}
