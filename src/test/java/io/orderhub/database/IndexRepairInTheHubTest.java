package io.orderhub.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderhub.support.H2Indexes;
import io.orderhub.support.HubTestSupport;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.table.Table;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The index repair as the running hub has it: its JDBC template (the one every store uses) watches its failures,
 * on the hub's own H2 file behind its group-commit pool. An intake row whose {@code intake_order} entry is lost (as
 * a kill left one on H2 2.3.232) fails the pipeline's update once, and the same update succeeds once the hub has
 * rebuilt the index.
 */
class IndexRepairInTheHubTest extends HubTestSupport {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    @Test
    void theHubRebuildsAnIndexThatLostARowAndTheUpdateOfThatRowThenSucceeds() throws Exception {
        UUID intake = UUID.randomUUID();
        jdbc.update("insert into intake (id, source, client_id, idempotency_key, fingerprint, business_key, "
                        + "location_id, channel, content_type, payload, state, correlation_id, received_at) "
                        + "values (?, 'own-channel', 'repair-test', ?, 'f', ?, 'soho', 'web', 'application/json', "
                        + "'{}', 'RECEIVED', 'c', ?)", intake, intake.toString(), "repair:" + intake,
                Timestamp.from(Instant.now()));
        // counted before the loss: afterwards a count by order_id goes through the damaged index
        long linked = count("order_id is not null");
        long unlinked = count("order_id is null");
        try (Connection c = dataSource.getConnection()) {
            SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
            Table table = session.getDatabase().getMainSchema().getTableOrView(session, "INTAKE");
            Long key = jdbc.queryForObject("select _rowid_ from intake where id = ?", Long.class, intake);
            c.setAutoCommit(false);
            session.getDatabase().getMainSchema().getIndex("INTAKE_ORDER").remove(session, table.getRow(session, key));
            c.commit();
            assertThat(H2Indexes.inconsistent(c)).containsExactly("INTAKE.INTAKE_ORDER: table " + linked + " + "
                    + unlinked + " null, index " + linked + " + " + (unlinked - 1) + " null");
        }

        UUID order = UUID.randomUUID();
        String update = "update intake set state = 'ACCEPTED', order_id = ? where id = ?";
        assertThatThrownBy(() -> jdbc.update(update, order, intake)).isInstanceOf(DataAccessException.class)
                .hasStackTraceContaining("Row not found when trying to delete from index \"PUBLIC.INTAKE_ORDER");
        // the stage's retry, as the error policy makes it
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> jdbc.update(update, order, intake) == 1);
        assertThat(jdbc.queryForList("select id from intake where order_id = ?", UUID.class, order))
                .containsExactly(intake);
        try (Connection c = dataSource.getConnection()) {
            assertThat(H2Indexes.inconsistent(c)).isEmpty();
        }
        assertThat(meters.get("orderhub.database.index.repairs").tag("index", "INTAKE_ORDER")
                .tag("outcome", "rebuilt").counter().count()).isEqualTo(1);
    }

    private long count(String where) {
        return jdbc.queryForObject("select count(*) from intake where " + where, Long.class);
    }
}
