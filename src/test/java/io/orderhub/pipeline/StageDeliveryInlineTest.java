package io.orderhub.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderhub.HubProperties;
import io.orderhub.observability.HubMetrics;
import io.orderhub.order.OrderEvent;
import io.orderhub.support.OfflineAdapters;
import io.orderhub.support.EveryDatabase;
import io.orderhub.support.TestDatabases.Database;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A stage that takes new orders inline ({@link StageHandler#takesNewOrdersInline}, the kitchen) works in the
 * transaction that stores the order, under a savepoint of its own: its rows and its delivery record commit with the
 * order; when it fails, only its own writes are undone, the order's store commits, and the stage is left to its
 * queue. Stages that do not take orders inline are never run there. On H2, and PostgreSQL when given (.ci/run).
 */
class StageDeliveryInlineTest extends EveryDatabase {

    /** A stage handler that writes one timeline row for the event, and fails after writing it when told to. */
    private static final class Recording implements StageHandler {
        private final String stage;
        private final boolean inline;
        private final JdbcTemplate jdbc;
        boolean fail;
        final List<String> handled = new ArrayList<>();

        Recording(String stage, boolean inline, JdbcTemplate jdbc) {
            this.stage = stage;
            this.inline = inline;
            this.jdbc = jdbc;
        }

        @Override
        public String stage() {
            return stage;
        }

        @Override
        public boolean takesNewOrdersInline() {
            return inline;
        }

        @Override
        public void handle(OrderEvent event) {
            handled.add(event.eventId());
            jdbc.update("insert into order_timeline (order_id, at, kind, stage, actor, detail) values (?,?,?,?,?,?)",
                    event.orderId(), Timestamp.from(Instant.now()), "test", stage, "hub", "handled");
            if (fail) {
                throw new TransientFailure("kitchen routing failed");
            }
        }
    }

    private record Setup(JdbcTemplate jdbc, TransactionTemplate tx, StageDelivery delivery, Recording kitchen,
                         Recording pos, SimpleMeterRegistry meters) {
    }

    private static Setup setup(Database db) {
        JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(db.dataSource());
        Recording kitchen = new Recording("kds", true, jdbc);
        Recording pos = new Recording("pos", false, jdbc);
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("kitchen", kitchen);
        beans.addBean("pos", pos);
        HubProperties hub = new HubProperties(null, null, null, List.of("pos", "kds"), null, null, null, null, null);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        StageDelivery delivery = new StageDelivery(jdbc, new HubMetrics(meters), Clock.systemUTC(),
                List.of(kitchen, pos), OfflineAdapters.JSON, transactions,
                new Stages(hub, beans.getBeanProvider(StageHandler.class)));
        return new Setup(jdbc, new TransactionTemplate(transactions), delivery, kitchen, pos, meters);
    }

    private static OrderEvent created(UUID order) {
        return new OrderEvent(OrderEvent.CREATED + ":" + order, OrderEvent.CREATED, order, 1, Instant.now(), "test",
                null, null);
    }

    /** What the order's own store writes (a stand-in row on its timeline), then the inline stages. */
    private static List<String> storeWithInlineStages(Setup s, UUID order) {
        return s.tx().execute(status -> {
            s.jdbc().update("insert into order_timeline (order_id, at, kind, stage, actor, detail) "
                    + "values (?,?,'accepted',null,'test','stored')", order, Timestamp.from(Instant.now()));
            return s.delivery().deliverInline(created(order));
        });
    }

    private static int count(Setup s, String sql, Object... args) {
        return s.jdbc().queryForObject(sql, Integer.class, args);
    }

    private static double delivered(Setup s, String stage) {
        var counter = s.meters().find("orderhub.stage.delivered").tag("stage", stage).counter();
        return counter == null ? 0 : counter.count();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theKitchenTakesANewOrderInTheStoreTransactionAndOnlyTheKitchen(Database db) {
        Setup s = setup(db);
        UUID order = UUID.randomUUID();

        assertThat(storeWithInlineStages(s, order)).containsExactly("kds");

        assertThat(s.kitchen().handled).containsExactly("order.created:" + order);
        assertThat(s.pos().handled).isEmpty();
        assertThat(count(s, "select count(*) from order_timeline where order_id = ? and stage = 'kds'", order))
                .isEqualTo(1);
        assertThat(count(s, "select count(*) from stage_delivery where order_id = ? and stage = 'kds' "
                + "and event_id = ? and attempts = 1", order, "order.created:" + order)).isEqualTo(1);
        assertThat(count(s, "select count(*) from stage_delivery where order_id = ?", order)).isEqualTo(1);
        assertThat(delivered(s, "kds")).isEqualTo(1.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aKitchenThatFailsIsUndoneAloneAndTheOrderIsStoredForItsQueueToRetry(Database db) {
        Setup s = setup(db);
        s.kitchen().fail = true;
        UUID order = UUID.randomUUID();

        assertThat(storeWithInlineStages(s, order)).isEmpty();

        assertThat(s.kitchen().handled).hasSize(1);
        assertThat(count(s, "select count(*) from order_timeline where order_id = ? and kind = 'accepted'", order))
                .as("the order's own writes commit").isEqualTo(1);
        assertThat(count(s, "select count(*) from order_timeline where order_id = ? and stage = 'kds'", order))
                .as("the kitchen's write is rolled back to its savepoint").isZero();
        assertThat(count(s, "select count(*) from stage_delivery where order_id = ?", order)).isZero();
        assertThat(delivered(s, "kds")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void whenTheStoreRollsBackTheKitchenHasNothingAndCountsNothing(Database db) {
        Setup s = setup(db);
        UUID order = UUID.randomUUID();

        assertThatThrownBy(() -> s.tx().executeWithoutResult(status -> {
            assertThat(s.delivery().deliverInline(created(order))).containsExactly("kds");
            throw new IllegalStateException("the order's store failed after the kitchen's work");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(count(s, "select count(*) from order_timeline where order_id = ?", order)).isZero();
        assertThat(count(s, "select count(*) from stage_delivery where order_id = ?", order)).isZero();
        assertThat(delivered(s, "kds")).isZero();
    }
}
