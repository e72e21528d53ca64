package io.orderhub.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.support.HubProcess;
import io.orderhub.support.Orders;
import java.util.List;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Crash safety, end to end: the packaged hub runs as its own JVM; clients post orders while it is killed with
 * SIGKILL at an arbitrary moment, more than once; it restarts on the same data directory. Afterwards every
 * acknowledged order exists exactly once, reached every stage exactly once, and nothing is left in flight.
 */
class CrashDrillIT {

    private static final String KEY = HubProcess.DEMO_KEY;
    private static final int KILLS = Integer.getInteger("orderhub.drill.kills", 2);
    private static final int ACKS_BEFORE_KILL = Integer.getInteger("orderhub.drill.acks-before-kill", 120);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Path dataDir = Path.of("target", "crash-drill", UUID.randomUUID().toString()).toAbsolutePath();
    private final HubProcess hub = new HubProcess(dataDir, "512m",
            List.of("--orderhub.intake.recovery-age=5s", "--orderhub.intake.recovery-interval=2s"));
    private boolean running;

    @AfterEach
    void stop() throws InterruptedException {
        if (running) {
            hub.kill();
        }
    }

    @Test
    void everyAcknowledgedOrderExistsExactlyOnceAndReachedEveryStageOnceAfterKills() throws Exception {
        Map<String, String> acknowledged = new ConcurrentHashMap<>();   // external id -> order id
        for (int round = 0; round < KILLS; round++) {
            start();
            int target = acknowledged.size() + ACKS_BEFORE_KILL;
            AtomicBoolean posting = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(4);
            for (int c = 0; c < 4; c++) {
                clients.submit(() -> {
                    while (posting.get()) {
                        String externalId = "drill-" + UUID.randomUUID();
                        try {
                            HttpResponse<String> r = postOrder(externalId);
                            if (r.statusCode() == 202) {
                                acknowledged.put(externalId, json.readTree(r.body()).get("orderId").asText());
                            }
                        } catch (IOException | InterruptedException e) {
                            // the hub is down: this order was never acknowledged, so it may or may not exist
                        }
                    }
                    return null;
                });
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> acknowledged.size() >= target);
            hub.kill();   // SIGKILL, mid-flow
            running = false;
            posting.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        start();
        // after the restart every acknowledged order turns up accepted and delivered to all five stages
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                JsonNode view = get("/api/v1/orders/" + e.getValue());
                assertThat(view.get("state").asText()).as(e.getKey()).isEqualTo("accepted");
                long delivered = 0;
                for (JsonNode entry : get("/api/v1/orders/" + e.getValue() + "/timeline")) {
                    if ("delivered".equals(entry.get("kind").asText())) {
                        delivered++;
                    }
                }
                assertThat(delivered).as("deliveries of " + e.getKey()).isEqualTo(5);
            }
        });
        hub.stop();
        running = false;

        // the hub is stopped: read its database directly
        assertThat(count("select count(*) from orders where business_key like 'own-channel:demo-web:ext:drill-%'"))
                .as("every acknowledged order stored").isGreaterThanOrEqualTo(acknowledged.size());
        assertThat(count("select count(*) from (select business_key from orders group by business_key "
                + "having count(*) > 1) d")).as("orders stored twice").isZero();
        for (String orderId : acknowledged.values()) {
            assertThat(count("select count(*) from orders where id = '" + orderId + "'")).isEqualTo(1);
        }
        // the drill's own orders (the demo profile also replays the vendor sandboxes' samples, which have lives of
        // their own: cancellations, rejections)
        String drillOrders = "order_id in (select id from orders where business_key like "
                + "'own-channel:demo-web:ext:drill-%')";
        assertThat(count("select count(*) from (select order_id from stage_delivery where " + drillOrders
                + " group by order_id having count(*) <> 5) d")).as("orders not delivered to exactly 5 stages")
                .isZero();
        assertThat(count("select count(*) from (select order_id, stage from stage_delivery where " + drillOrders
                + " group by order_id, stage having count(*) > 1) d")).as("a stage handled an order twice")
                .isZero();
        assertThat(count("select count(*) from intake where state = 'RECEIVED' and source = 'own-channel'"))
                .as("left in flight").isZero();
        assertThat(count("select count(*) from outbox")).isZero();
    }

    private void start() throws Exception {
        hub.start();
        running = true;
    }

    private HttpResponse<String> postOrder(String externalId) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri("/api/v1/orders")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(Orders.soho(externalId))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return json.readTree(r.body());
    }

    /** Reads the stopped hub's database directly (H2 holds a file lock while the hub runs). */
    private long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("db/orderhub"),
                "orderhub", ""); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private URI uri(String path) {
        return hub.uri(path);
    }
}
