package io.orderhub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.orderhub.support.HubProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Latency from a delivery platform's webhook to the POS and to the kitchen screen, at fixed offered rates (issue 5).
 * Not part of `mvn verify`: {@code mvn -Pbench verify -Dit.test=KitchenLatencyBenchmark} (docs/benchmarks.md).
 *
 * <p>The packaged hub (demo profile: the vendor sandboxes run inside its JVM) gets DoorDash order webhooks for
 * brooklyn (3 KiB, a fresh DoorDash order id each) at a fixed rate for a bounded time, scheduled by the clock so a
 * slow hub shows as latency. Once every order is through, the hub is stopped and its database read: per order,
 * "to POS" is the time the Square sandbox's answer to CreateOrder was recorded (order timeline, kind vendor-call,
 * stage pos) and "to KDS" the time its first kitchen ticket was stored (the live screens get it from there within
 * one push), both minus the time the webhook was scheduled to be sent (same machine, same clock).
 */
class KitchenLatencyBenchmark {

    private static final String SAMPLE = "adapters/doordash/samples/delivery-asap-tip.input.json";
    private static final String SAMPLE_ORDER_ID = "3f2b9c1e-6d7a-4e58-9b0c-1a2d3e4f5a61";
    private static final int[] RATES = Arrays.stream(System.getProperty("bench.kitchen.rates", "100,500").split(","))
            .mapToInt(Integer::parseInt).toArray();
    private static final int SECONDS = Integer.getInteger("bench.kitchen.seconds", 10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(8)).build();

    @Test
    void webhookToPosAndToKdsLatencyAtFixedRates() throws Exception {
        String template = Files.readString(Path.of(SAMPLE));
        String token = new ObjectMapper(new YAMLFactory()).readTree(Path.of("config/application-sandbox.yaml").toFile())
                .path("orderhub").path("adapters").path("doordash").path("signing-secret").asText();
        Path data = Path.of("target", "bench", UUID.randomUUID().toString()).toAbsolutePath();
        HubProcess hub = new HubProcess(data, "512m", List.of("--logging.level.root=WARN",
                "--orderhub.sandbox.request-journal-entries=0"));
        long startMs = hub.start();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Map<String, Long>> phases = new ArrayList<>();
        List<String> acks = new ArrayList<>();
        try {
            send(hub, template, token, 50, 10, new ConcurrentHashMap<>());   // warm-up, not reported
            HubScrape.awaitDelivered(http, hub, 5);
            for (int rate : RATES) {
                Map<String, Long> phase = new ConcurrentHashMap<>();
                int ok = send(hub, template, token, rate, SECONDS, phase);
                acks.add(ok + " of " + rate * SECONDS);
                HubScrape.awaitDelivered(http, hub, 5);
                phases.add(phase);
                sentAt.putAll(phase);
            }
        } finally {
            hub.stop();
        }
        Map<String, long[]> seen = new ConcurrentHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("db/orderhub"), "orderhub", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select o.business_key, (select min(t.at) from order_timeline t where "
                     + "t.order_id = o.id and t.kind = 'vendor-call' and t.stage = 'pos'), (select min(k.created_at) "
                     + "from kitchen_ticket k where k.order_id = o.id) from orders o where o.business_key like "
                     + "'doordash:order:%'")) {
            while (rs.next()) {
                String vendorId = rs.getString(1).substring("doordash:order:".length());
                seen.put(vendorId, new long[] {rs.getTimestamp(2) == null ? -1 : rs.getTimestamp(2).getTime(),
                    rs.getTimestamp(3) == null ? -1 : rs.getTimestamp(3).getTime()});
            }
        }
        StringBuilder report = new StringBuilder();
        report.append(String.format("| date | %s |%n| machine | %d cores, %d GiB RAM, %s %s, hub heap -Xmx512m |%n"
                        + "| hub start to ready | %d ms |%n", LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                HubScrape.memoryGiB(), System.getProperty("java.vm.name"), System.getProperty("java.version"), startMs));
        report.append("| offered | acked | webhook -> POS answered p50 / p99 / max | webhook -> KDS ticket p50 / p99 / max |"
                + "\n");
        for (int i = 0; i < RATES.length; i++) {
            List<Double> pos = new ArrayList<>();
            List<Double> kds = new ArrayList<>();
            for (Map.Entry<String, Long> e : phases.get(i).entrySet()) {
                long[] t = seen.get(e.getKey());
                assertThat(t).as("order " + e.getKey() + " stored").isNotNull();
                assertThat(t[0]).as("order " + e.getKey() + " reached the POS").isPositive();
                assertThat(t[1]).as("order " + e.getKey() + " has a kitchen ticket").isPositive();
                pos.add((double) (t[0] - e.getValue()));
                kds.add((double) (t[1] - e.getValue()));
            }
            double[] p = pos.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double[] k = kds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            report.append(String.format("| %d/s for %d s | %s | %.0f / %.0f / %.0f ms | %.0f / %.0f / %.0f ms |%n",
                    RATES[i], SECONDS, acks.get(i), pct(p, 50), pct(p, 99), p[p.length - 1], pct(k, 50), pct(k, 99),
                    k[k.length - 1]));
        }
        Path out = Path.of("target", "benchmarks", "kitchen-latency.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        System.out.println("\n" + report);
    }

    /** Sends at a fixed rate; records each DoorDash order id with the wall-clock time it was scheduled for. */
    private int send(HubProcess hub, String template, String token, int rate, int seconds, Map<String, Long> sent)
            throws Exception {
        int total = rate * seconds;
        long interval = 1_000_000_000L / rate;
        AtomicInteger ok = new AtomicInteger();
        List<CompletableFuture<?>> inFlight = new ArrayList<>(total);
        long start = System.nanoTime();
        long startWall = System.currentTimeMillis();
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            String vendorId = UUID.randomUUID().toString();
            sent.put(vendorId, startWall + (scheduled - start) / 1_000_000);
            HttpRequest request = HttpRequest.newBuilder(hub.uri("/webhooks/doordash")).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(template.replace(SAMPLE_ORDER_ID, vendorId))).build();
            inFlight.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((r, e) -> {
                if (e == null && r.statusCode() / 100 == 2) {
                    ok.incrementAndGet();
                }
                return null;
            }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        return ok.get();
    }

    private static double pct(double[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }
}
