package io.orderhub.bench.jmh;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.orderhub.database.GroupCommitDataSource;
import io.orderhub.intake.IntakeRecord;
import io.orderhub.intake.IntakeStore;
import io.orderhub.HubProperties;
import io.orderhub.intake.OwnChannelTranslator;
import io.orderhub.menu.MenuCatalog;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.order.OrderStore;
import io.orderhub.order.Timeline;
import io.orderhub.pipeline.OrderTranslator;
import io.orderhub.support.OfflineAdapters;
import io.orderhub.support.Orders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The idempotency checks an order goes through, against a real H2 file database under target/jmh-db with the hub's
 * Flyway migrations, the hub's URL settings and its group commit (every commit is in the file before it returns),
 * pre-filled with {@code keys} orders (own-channel order, its canonical document) under distinct business keys and
 * as many intake rows (own-channel body, 0.8 KiB) with their timeline entries.
 *
 * <ul>
 * <li>{@code storeNew}: the pipeline's dedupe-and-store of a new order, {@link OrderStore#storeOnce} with a business
 * key never seen: lookup by business key, then the order, its external id, its intake's outcome and its timeline
 * entry in one transaction that commits (the unique business key is the dedupe: no separate key table);</li>
 * <li>{@code storeDuplicate}: the same call with a business key already stored (another intake of a known order):
 * the lookup finds it, the intake is marked a duplicate, one timeline entry; answers "duplicate";</li>
 * <li>{@code intakeReceiveNew}: {@link IntakeStore#receive} of a webhook with a new Idempotency-Key: lookup by
 * (client, key), then the intake row and its timeline entry in one commit;</li>
 * <li>{@code intakeReceiveDuplicate}: the same for a key already stored with the same body: the lookup finds the
 * original (a replayed webhook), nothing is written.</li>
 * </ul>
 *
 * <p>The order for the store benchmarks is translated before each call (JMH invocation setup, outside the measured
 * time; each call is a commit, about a millisecond, so the setup's own cost does not distort it).
 * The filled database is built once (target/jmh-db/orders-&lt;keys&gt;.mv.db, reused while it exists) and copied
 * afresh for each benchmark, so the "new" benchmarks start from the same {@code keys} rows and grow it by the keys
 * they add during the run (a few thousand).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IdempotencyJmh {

    static final Path DIR = Path.of("target", "jmh-db").toAbsolutePath();
    static final String CLIENT = "bench-web";
    static final Instant AT = Instant.parse("2026-11-25T12:00:00Z");

    @Param("100000")
    public int keys;

    private HikariDataSource dataSource;
    private TransactionTemplate tx;
    private OrderStore orders;
    private IntakeStore intake;
    private OwnChannelTranslator translator;
    private String payload;
    private String fingerprint;
    private String runId;
    private long next;
    private long random = 0x9E3779B97F4A7C15L;
    /** The next call's order (a new id and external id) and business key, made before each invocation. */
    private CanonicalOrder order;
    private String newKey;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        translator = new OwnChannelTranslator(OfflineAdapters.JSON, new MenuCatalog(new HubProperties(null,
                Path.of("config/menus"), null, null, null, null, null, null, null)));
        Path template = DIR.resolve("orders-" + keys + ".mv.db");
        payload = Orders.soho("bench");
        fingerprint = Integer.toHexString(payload.hashCode());
        if (!Files.exists(template)) {
            fill(DIR.resolve("orders-filling-" + keys));
            Files.move(DIR.resolve("orders-filling-" + keys + ".mv.db"), template, StandardCopyOption.REPLACE_EXISTING);
        }
        Path run = DIR.resolve("run");
        Files.deleteIfExists(DIR.resolve("run.mv.db"));
        Files.deleteIfExists(DIR.resolve("run.trace.db"));
        Files.copy(template, DIR.resolve("run.mv.db"));
        dataSource = pool(run);
        // as the hub wires its pool (HubConfiguration): commits wait for the shared write of the file
        javax.sql.DataSource hub = GroupCommitDataSource.wrapIfNeeded(dataSource);
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(hub);
        tx = new TransactionTemplate(transactions);
        JdbcTemplate jdbc = new JdbcTemplate(hub);
        Timeline timeline = new Timeline(jdbc, Clock.systemUTC());
        intake = new IntakeStore(jdbc, tx, timeline, Clock.systemUTC());
        orders = new OrderStore(jdbc, intake, timeline, OfflineAdapters.JSON, Clock.systemUTC());
        runId = UUID.randomUUID().toString().substring(0, 8);
        Long stored = jdbc.queryForObject("select count(*) from orders", Long.class);
        if (stored == null || stored != keys || orders.findByBusinessKey(businessKey(keys - 1)).isEmpty()
                || orders.findByBusinessKey("new:" + runId + ":0").isPresent()) {
            throw new IllegalStateException("database not filled as expected: " + stored + " orders");
        }
    }

    @Setup(Level.Invocation)
    public void nextOrder() {
        String external = runId + "-" + (next++);
        order = translate(Orders.soho(external), UUID.randomUUID());
        newKey = "doordash:" + external;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        dataSource.close(); // the last connection closed: H2 closes the database
    }

    @Benchmark
    public OrderStore.Stored storeNew() {
        OrderStore.Stored stored = tx.execute(status -> orders.storeOnce(order, newKey, order.id()));
        if (stored == null || stored.duplicate() || stored.redelivered()) {
            throw new IllegalStateException("new key " + newKey + " was not stored as new");
        }
        return stored;
    }

    @Benchmark
    public OrderStore.Stored storeDuplicate() {
        OrderStore.Stored stored = tx.execute(status -> orders.storeOnce(order, businessKey(pick()), order.id()));
        if (stored == null || !stored.duplicate()) {
            throw new IllegalStateException("an existing key was not answered as a duplicate");
        }
        return stored;
    }

    private CanonicalOrder translate(String body, UUID id) {
        return translator.translate(body, new OrderTranslator.IntakeContext(id, OwnChannelTranslator.SOURCE, CLIENT,
                "bench", AT));
    }

    @Benchmark
    public IntakeStore.Outcome intakeReceiveNew() {
        String key = runId + "-" + (next++);
        IntakeStore.Outcome outcome = intake.receive(candidate(key));
        if (!(outcome instanceof IntakeStore.Fresh)) {
            throw new IllegalStateException("new idempotency key " + key + " gave " + outcome);
        }
        return outcome;
    }

    @Benchmark
    public IntakeStore.Outcome intakeReceiveDuplicate() {
        IntakeStore.Outcome outcome = intake.receive(candidate(idempotencyKey(pick())));
        if (!(outcome instanceof IntakeStore.Replay)) {
            throw new IllegalStateException("stored idempotency key gave " + outcome);
        }
        return outcome;
    }

    /** A pseudo-random index of a pre-filled key (xorshift: no allocation, no shared state). */
    private int pick() {
        random ^= random << 13;
        random ^= random >>> 7;
        random ^= random << 17;
        return (int) Math.floorMod(random, (long) keys);
    }

    private IntakeRecord candidate(String idempotencyKey) {
        return new IntakeRecord(UUID.randomUUID(), "own-channel", CLIENT, idempotencyKey, fingerprint,
                "own-channel:" + CLIENT + ":key:" + idempotencyKey, "soho", "web", "application/json", payload,
                IntakeRecord.IntakeState.RECEIVED, null, null, "bench", Instant.now(), null);
    }

    /** Business keys shaped as the hub's: adapter id, the vendor's order id (a UUID here). */
    static String businessKey(int i) {
        return "doordash:" + UUID.nameUUIDFromBytes(("order-" + i).getBytes());
    }

    static String idempotencyKey(int i) {
        return UUID.nameUUIDFromBytes(("intake-" + i).getBytes()).toString();
    }

    private static HikariDataSource pool(Path file) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url(file));
        config.setUsername("orderhub");
        config.setPassword("");
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    /** A new database at {@code file}: the hub's migrations, then {@code keys} keys and intake rows, 1,000 a commit. */
    private void fill(Path file) throws Exception {
        Files.createDirectories(DIR);
        Files.deleteIfExists(Path.of(file + ".mv.db"));
        Files.deleteIfExists(Path.of(file + ".trace.db"));
        try (HikariDataSource ds = pool(file)) {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                Timestamp now = Timestamp.from(Instant.now());
                try (PreparedStatement key = c.prepareStatement("insert into orders (id, business_key, source, "
                        + "channel, brand_id, location_id, status, version, total_minor, currency, correlation_id, "
                        + "created_at, updated_at, document) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
                     PreparedStatement row = c.prepareStatement("insert into intake (id, source, client_id, "
                             + "idempotency_key, fingerprint, business_key, location_id, channel, content_type, "
                             + "payload, state, order_id, correlation_id, received_at, processed_at) "
                             + "values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
                     PreparedStatement line = c.prepareStatement("insert into order_timeline (order_id, at, kind, "
                             + "stage, actor, detail) values (?,?,?,?,?,?)")) {
                    for (int i = 0; i < keys; i++) {
                        UUID id = UUID.randomUUID();
                        CanonicalOrder stored = translate(Orders.soho("fill-" + i), id);
                        key.setObject(1, id);
                        key.setString(2, businessKey(i));
                        key.setString(3, stored.source());
                        key.setString(4, stored.channel());
                        key.setString(5, stored.brandId());
                        key.setString(6, stored.locationId());
                        key.setString(7, stored.status().wire());
                        key.setLong(8, stored.version());
                        key.setLong(9, stored.charges().total().amount());
                        key.setString(10, stored.currency());
                        key.setString(11, "fill");
                        key.setTimestamp(12, now);
                        key.setTimestamp(13, now);
                        key.setString(14, OfflineAdapters.JSON.writeValueAsString(stored));
                        key.addBatch();
                        row.setObject(1, id);
                        row.setString(2, "own-channel");
                        row.setString(3, CLIENT);
                        row.setString(4, idempotencyKey(i));
                        row.setString(5, fingerprint);
                        row.setString(6, "own-channel:" + CLIENT + ":key:" + idempotencyKey(i));
                        row.setString(7, "soho");
                        row.setString(8, "web");
                        row.setString(9, "application/json");
                        row.setString(10, payload);
                        row.setString(11, "ACCEPTED");
                        row.setObject(12, id);
                        row.setString(13, "fill");
                        row.setTimestamp(14, now);
                        row.setTimestamp(15, now);
                        row.addBatch();
                        line.setObject(1, id);
                        line.setTimestamp(2, now);
                        line.setString(3, "received");
                        line.setString(4, "intake");
                        line.setString(5, "own-channel");
                        line.setString(6, "application/json, " + payload.length() + " chars");
                        line.addBatch();
                        if ((i + 1) % 1_000 == 0 || i == keys - 1) {
                            key.executeBatch();
                            row.executeBatch();
                            line.executeBatch();
                            c.commit();
                        }
                    }
                }
            }
        }
        // a compact file: it is copied for every benchmark (the pool is closed, so nothing holds the database)
        try (Connection c = DriverManager.getConnection(url(file), "orderhub", "")) {
            c.createStatement().execute("shutdown compact");
        }
    }

    private static String url(Path file) {
        // the hub's own H2 settings (config/application.yaml)
        return "jdbc:h2:file:" + file
                + ";WRITE_DELAY=1000;AUTO_COMPACT_FILL_RATE=0;RETENTION_TIME=5000;LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=64;"
                + "CACHE_SIZE=65536";
    }
}
