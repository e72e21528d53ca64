package io.orderhub.bench.jmh;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.orderhub.database.GroupCommitDataSource;
import io.orderhub.intake.IntakeRecord;
import io.orderhub.intake.IntakeStore;
import io.orderhub.order.BusinessKeyRepository;
import io.orderhub.order.Timeline;
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
 * pre-filled with {@code keys} business keys in CAMEL_MESSAGEPROCESSED and as many intake rows (own-channel body,
 * 0.8 KiB) with their timeline entries.
 *
 * <ul>
 * <li>{@code businessKeyNew}: the pipeline's dedupe of a new order, {@link BusinessKeyRepository#add} of a key never
 * seen (select, then insert in a savepoint) inside a transaction that commits, as storeOnce's does (without the
 * order's own rows);</li>
 * <li>{@code businessKeyExisting}: the same call for a key already there (a duplicate order): answers false;</li>
 * <li>{@code intakeReceiveNew}: {@link IntakeStore#receive} of a webhook with a new Idempotency-Key: lookup by
 * (client, key), then the intake row and its timeline entry in one commit;</li>
 * <li>{@code intakeReceiveDuplicate}: the same for a key already stored with the same body: the lookup finds the
 * original (a replayed webhook), nothing is written.</li>
 * </ul>
 *
 * <p>The filled database is built once (target/jmh-db/template-&lt;keys&gt;.mv.db, reused while it exists) and copied
 * afresh for each benchmark, so the "new" benchmarks start from the same {@code keys} rows and grow it by the keys
 * they add during the run (a few thousand).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IdempotencyJmh {

    static final Path DIR = Path.of("target", "jmh-db").toAbsolutePath();
    static final String PROCESSOR = "orders";
    static final String CLIENT = "bench-web";

    @Param("100000")
    public int keys;

    private HikariDataSource dataSource;
    private TransactionTemplate tx;
    private BusinessKeyRepository repository;
    private IntakeStore intake;
    private String payload;
    private String fingerprint;
    private String runId;
    private long next;
    private long random = 0x9E3779B97F4A7C15L;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path template = DIR.resolve("template-" + keys + ".mv.db");
        payload = Orders.soho("bench");
        fingerprint = Integer.toHexString(payload.hashCode());
        if (!Files.exists(template)) {
            fill(DIR.resolve("filling-" + keys));
            Files.move(DIR.resolve("filling-" + keys + ".mv.db"), template, StandardCopyOption.REPLACE_EXISTING);
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
        repository = new BusinessKeyRepository(hub, transactions, PROCESSOR);
        repository.start();
        JdbcTemplate jdbc = new JdbcTemplate(hub);
        intake = new IntakeStore(jdbc, tx, new Timeline(jdbc, Clock.systemUTC()), Clock.systemUTC());
        runId = UUID.randomUUID().toString().substring(0, 8);
        Long stored = jdbc.queryForObject("select count(*) from CAMEL_MESSAGEPROCESSED", Long.class);
        if (stored == null || stored != keys || !repository.contains(businessKey(keys - 1))
                || repository.contains("new:" + runId + ":0")) {
            throw new IllegalStateException("database not filled as expected: " + stored + " keys");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        repository.stop();
        dataSource.close(); // the last connection closed: H2 closes the database
    }

    @Benchmark
    public boolean businessKeyNew() {
        String key = "doordash:" + runId + "-" + (next++);
        Boolean added = tx.execute(status -> repository.add(key));
        if (!Boolean.TRUE.equals(added)) {
            throw new IllegalStateException("new key " + key + " was not added");
        }
        return added;
    }

    @Benchmark
    public boolean businessKeyExisting() {
        String key = businessKey(pick());
        Boolean added = tx.execute(status -> repository.add(key));
        if (!Boolean.FALSE.equals(added)) {
            throw new IllegalStateException("existing key " + key + " was added again");
        }
        return added;
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
                try (PreparedStatement key = c.prepareStatement(
                        "insert into CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) values (?,?,?)");
                     PreparedStatement row = c.prepareStatement("insert into intake (id, source, client_id, "
                             + "idempotency_key, fingerprint, business_key, location_id, channel, content_type, "
                             + "payload, state, order_id, correlation_id, received_at, processed_at) "
                             + "values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
                     PreparedStatement line = c.prepareStatement("insert into order_timeline (order_id, at, kind, "
                             + "stage, actor, detail) values (?,?,?,?,?,?)")) {
                    for (int i = 0; i < keys; i++) {
                        key.setString(1, PROCESSOR);
                        key.setString(2, businessKey(i));
                        key.setTimestamp(3, now);
                        key.addBatch();
                        UUID id = UUID.randomUUID();
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
                        row.setObject(12, UUID.randomUUID());
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
