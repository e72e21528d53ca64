package io.orderhub.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import io.orderhub.support.TestDatabases;
import io.orderhub.support.TestDatabases.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dedupe guarantee on each database the hub supports: the migrations apply, concurrent adds of one business
 * key let exactly one through, a losing add leaves its transaction usable (PostgreSQL aborts a transaction on a
 * failed insert unless it runs in a savepoint), and a rolled-back add is not remembered.
 * PostgreSQL runs when -Dorderhub.test.postgres.url is given (.ci/run does); H2 always.
 */
class BusinessKeyRepositoryTest {

    private static final TestDatabases DATABASES = new TestDatabases();

    static Stream<Database> databases() {
        return DATABASES.create().stream();
    }

    @AfterAll
    static void close() {
        DATABASES.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void migrationsCreateTheSchemaWithItsUniqueConstraints(Database db) {
        JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
        for (String table : List.of("intake", "orders", "order_timeline", "stage_delivery", "outbox",
                "delivery_failure", "api_client", "order_external_id", "CAMEL_MESSAGEPROCESSED")) {
            assertThat(jdbc.queryForObject("select count(*) from " + table, Integer.class)).as(table).isZero();
        }
        jdbc.update("insert into CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) values ('p', 'k', ?)",
                Timestamp.from(Instant.now()));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.update(
                        "insert into CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) values ('p', 'k', ?)",
                        Timestamp.from(Instant.now())))
                .isInstanceOf(org.springframework.dao.DuplicateKeyException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void concurrentAddsOfOneKeyLetExactlyOneThroughAndLeaveEveryTransactionUsable(Database db) throws Exception {
        DataSourceTransactionManager tm = new DataSourceTransactionManager(db.dataSource());
        BusinessKeyRepository keys = new BusinessKeyRepository(db.dataSource(), tm, "orders");
        JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
        TransactionTemplate tx = new TransactionTemplate(tm);
        String key = "uber-eats:" + UUID.randomUUID();
        UUID marker = UUID.randomUUID();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return tx.execute(s -> {
                    boolean added = keys.add(key);
                    // whatever the outcome, the transaction must still take writes and commit
                    jdbc.update("insert into order_timeline (order_id, at, kind) values (?, ?, ?)", marker,
                            Timestamp.from(Instant.now()), added ? "first" : "duplicate");
                    return added;
                });
            }));
        }
        start.countDown();
        int firsts = 0;
        for (Future<Boolean> f : results) {
            if (f.get(30, TimeUnit.SECONDS)) {
                firsts++;
            }
        }
        pool.shutdown();
        assertThat(firsts).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from order_timeline where order_id = ?", Integer.class,
                marker)).isEqualTo(threads);
        assertThat(keys.contains(key)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aRolledBackAddIsNotRemembered(Database db) {
        DataSourceTransactionManager tm = new DataSourceTransactionManager(db.dataSource());
        BusinessKeyRepository keys = new BusinessKeyRepository(db.dataSource(), tm, "orders");
        TransactionTemplate tx = new TransactionTemplate(tm);
        String key = "deliveroo:" + UUID.randomUUID();
        tx.executeWithoutResult(s -> {
            assertThat(keys.add(key)).isTrue();
            s.setRollbackOnly();
        });
        assertThat(keys.contains(key)).isFalse();
        Boolean again = tx.execute(s -> keys.add(key));
        assertThat(again).isTrue();
        Boolean third = tx.execute(s -> keys.add(key));
        assertThat(third).isFalse();
    }
}
