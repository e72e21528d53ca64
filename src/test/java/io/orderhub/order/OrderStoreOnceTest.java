package io.orderhub.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderhub.HubProperties;
import io.orderhub.intake.IntakeStore;
import io.orderhub.intake.OwnChannelTranslator;
import io.orderhub.menu.MenuCatalog;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.pipeline.OrderTranslator;
import io.orderhub.support.OfflineAdapters;
import io.orderhub.support.Orders;
import io.orderhub.support.EveryDatabase;
import io.orderhub.support.TestDatabases.Database;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dedupe guarantee on each database the hub supports: {@link OrderStore#storeOnce} stores one order per
 * business key, held by the unique constraint on {@code orders.business_key} alone. Deliveries of one key racing on
 * several threads end, after the error policy's retry of a lost race ({@link DuplicateKeyException}, transient),
 * with exactly one order and every other delivery answered as a duplicate of it; a rolled-back store is not
 * remembered. PostgreSQL runs when -Dorderhub.test.postgres.url is given (.ci/run does); H2 always.
 */
class OrderStoreOnceTest extends EveryDatabase {

    private static final Instant AT = Instant.parse("2026-11-25T12:00:00Z");
    private static final OwnChannelTranslator TRANSLATOR = new OwnChannelTranslator(OfflineAdapters.JSON,
            new MenuCatalog(new HubProperties(null, Path.of("config/menus"), null, null, null, null, null, null,
                    null)));

    private static OrderStore store(Database db) {
        return store(new JdbcTemplate(db.dataSource()));
    }

    private static OrderStore store(JdbcTemplate jdbc) {
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        Timeline timeline = new Timeline(jdbc, Clock.systemUTC());
        return new OrderStore(jdbc, new IntakeStore(jdbc, tx, timeline, Clock.systemUTC()), timeline,
                OfflineAdapters.JSON, Clock.systemUTC());
    }

    private static TransactionTemplate transactions(Database db) {
        return new TransactionTemplate(new DataSourceTransactionManager(db.dataSource()));
    }

    /** One delivery's order: its own intake id (the order's id), the same body and key as its twins. */
    private static CanonicalOrder order(UUID intakeId, String externalId) {
        return TRANSLATOR.translate(Orders.soho(externalId), new OrderTranslator.IntakeContext(intakeId,
                OwnChannelTranslator.SOURCE, "test-web", "corr-" + intakeId, AT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theBusinessKeyIsUniqueAndTheOldKeyTableIsGone(Database db) {
        JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
        String key = "uber-eats:" + UUID.randomUUID();
        String insert = "insert into orders (id, business_key, source, channel, brand_id, location_id, status, "
                + "version, total_minor, currency, correlation_id, created_at, updated_at, document) "
                + "values (?, ?, 'ubereats', 'delivery', 'b', 'soho', 'received', 1, 100, 'GBP', 'c', ?, ?, '{}')";
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update(insert, UUID.randomUUID(), key, now, now);
        assertThatThrownBy(() -> jdbc.update(insert, UUID.randomUUID(), key, now, now))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(jdbc.queryForObject("select count(*) from information_schema.tables "
                + "where lower(table_name) = 'camel_messageprocessed'", Integer.class)).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void racingDeliveriesOfOneKeyStoreExactlyOneOrderAndTheRestAreDuplicatesOfIt(Database db) throws Exception {
        OrderStore orders = store(db);
        TransactionTemplate tx = transactions(db);
        String key = "own-channel:test-web:key:" + UUID.randomUUID();
        String externalId = "web-" + UUID.randomUUID();
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<OrderStore.Stored>> results = new ArrayList<>();
        List<UUID> intakes = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            UUID intakeId = UUID.randomUUID();
            intakes.add(intakeId);
            CanonicalOrder order = order(intakeId, externalId);
            results.add(pool.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                // as the error policy does with a transient failure: retry; a lost race must not repeat forever
                for (int attempt = 1; ; attempt++) {
                    try {
                        return tx.execute(s -> orders.storeOnce(order, key, intakeId));
                    } catch (DuplicateKeyException lostRace) {
                        if (attempt == 3) {
                            throw lostRace;
                        }
                    }
                }
            }));
        }
        List<OrderStore.Stored> stored = new ArrayList<>();
        for (Future<OrderStore.Stored> f : results) {
            stored.add(f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();

        List<OrderStore.Stored> created = stored.stream().filter(s -> !s.duplicate() && !s.redelivered()).toList();
        assertThat(created).hasSize(1);
        UUID winner = created.get(0).order().id();
        assertThat(intakes).contains(winner);
        assertThat(stored).filteredOn(OrderStore.Stored::duplicate).hasSize(threads - 1)
                .allSatisfy(s -> assertThat(s.order().id()).isEqualTo(winner));
        JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
        assertThat(jdbc.queryForObject("select count(*) from orders where business_key = ?", Integer.class, key))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from order_timeline where order_id = ? and kind = ?",
                Integer.class, winner, "duplicate-received")).isEqualTo(threads - 1);
        assertThat(orders.findByBusinessKey(key)).map(CanonicalOrder::id).contains(winner);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aDeliveryThatLostTheRaceFailsOnTheUniqueKeyAndItsRetryAnswersDuplicate(Database db) throws Exception {
        TransactionTemplate tx = transactions(db);
        String key = "ubereats:" + UUID.randomUUID();
        CountDownLatch firstStored = new CountDownLatch(1);
        CountDownLatch secondLookedUp = new CountDownLatch(1);
        // the second delivery's lookup by business key runs while the first one's order is stored, not committed
        JdbcTemplate watched = new JdbcTemplate(db.dataSource()) {
            @Override
            public <T> List<T> query(String sql, RowMapper<T> rowMapper, Object... args) {
                List<T> rows = super.query(sql, rowMapper, args);
                if (sql.contains("business_key = ?")) {
                    secondLookedUp.countDown();
                }
                return rows;
            }
        };
        OrderStore first = store(db);
        OrderStore second = store(watched);
        UUID firstIntake = UUID.randomUUID();
        UUID secondIntake = UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<OrderStore.Stored> winner = pool.submit(() -> tx.execute(s -> {
            OrderStore.Stored stored = first.storeOnce(order(firstIntake, "web-a"), key, firstIntake);
            firstStored.countDown();
            await(secondLookedUp);
            return stored;
        }));
        await(firstStored);
        Future<OrderStore.Stored> loser = pool.submit(() -> tx.execute(s ->
                second.storeOnce(order(secondIntake, "web-b"), key, secondIntake)));
        assertThat(winner.get(60, TimeUnit.SECONDS).duplicate()).isFalse();
        assertThatThrownBy(() -> loser.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(DuplicateKeyException.class);
        // the error policy's retry of the transient failure
        OrderStore.Stored retried = tx.execute(s -> second.storeOnce(order(secondIntake, "web-b"), key,
                secondIntake));
        pool.shutdown();
        assertThat(retried.duplicate()).isTrue();
        assertThat(retried.order().id()).isEqualTo(firstIntake);
        JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
        assertThat(jdbc.queryForObject("select count(*) from orders where business_key = ?", Integer.class, key))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from orders where id = ?", Integer.class, secondIntake))
                .isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out waiting for the other delivery");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theSameIntakeAgainIsARedeliveryNotADuplicate(Database db) {
        OrderStore orders = store(db);
        TransactionTemplate tx = transactions(db);
        String key = "doordash:" + UUID.randomUUID();
        UUID intakeId = UUID.randomUUID();
        CanonicalOrder order = order(intakeId, "web-" + intakeId);
        OrderStore.Stored first = tx.execute(s -> orders.storeOnce(order, key, intakeId));
        OrderStore.Stored again = tx.execute(s -> orders.storeOnce(order, key, intakeId));
        assertThat(first.duplicate() || first.redelivered()).isFalse();
        assertThat(again.redelivered()).isTrue();
        assertThat(again.duplicate()).isFalse();
        assertThat(again.order().id()).isEqualTo(intakeId);
        assertThat(again.order().charges().total().amount()).isEqualTo(3050);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aRolledBackStoreIsNotRemembered(Database db) {
        OrderStore orders = store(db);
        TransactionTemplate tx = transactions(db);
        String key = "deliveroo:" + UUID.randomUUID();
        UUID rolledBack = UUID.randomUUID();
        tx.executeWithoutResult(s -> {
            assertThat(orders.storeOnce(order(rolledBack, "web-" + rolledBack), key, rolledBack).duplicate())
                    .isFalse();
            s.setRollbackOnly();
        });
        assertThat(orders.findByBusinessKey(key)).isEmpty();
        UUID second = UUID.randomUUID();
        OrderStore.Stored stored = tx.execute(s -> orders.storeOnce(order(second, "web-" + second), key, second));
        assertThat(stored.duplicate()).isFalse();
        UUID third = UUID.randomUUID();
        OrderStore.Stored twin = tx.execute(s -> orders.storeOnce(order(third, "web-" + third), key, third));
        assertThat(twin.duplicate()).isTrue();
        assertThat(twin.order().id()).isEqualTo(second);
    }
}
