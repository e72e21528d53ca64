package io.orderhub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderhub.support.HubProcess;
import io.orderhub.support.Orders;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Own-channel throughput and acknowledgement latency of the packaged hub, on loopback only, with bounded
 * request counts. Not part of `mvn verify`: run with `mvn -Pbench verify` (see docs/benchmarks.md).
 *
 * <ul>
 *   <li>fixed rate: requests are scheduled at a constant rate and latency is measured from the scheduled send
 *       time, so a stalled hub shows up as latency instead of a slower load (no coordinated omission);</li>
 *   <li>full speed: closed-loop clients post as fast as answers come; end-to-end time runs from the first POST to
 *       the last of the five stage deliveries, read from the hub's own Prometheus counters.</li>
 * </ul>
 */
class OwnChannelBenchmark {

    private static final int RATE = Integer.getInteger("bench.rate", 500);
    private static final int RATE_SECONDS = Integer.getInteger("bench.rate-seconds", 20);
    private static final int FULL_ORDERS = Integer.getInteger("bench.full-orders", 20_000);
    private static final int CLIENTS = Integer.getInteger("bench.clients", 32);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(8)).build();
    private HubProcess hub;

    @Test
    void ownChannelOrdersPerSecondAndAckLatency() throws Exception {
        hub = new HubProcess(Path.of("target", "bench", UUID.randomUUID().toString()), "512m", List.of(
                "--logging.level.root=WARN", "--orderhub.sandbox.request-journal-entries=0"));
        long startMs = hub.start();
        StringBuilder report = new StringBuilder();
        try {
            fullSpeed(2_000, CLIENTS);   // warm-up, not reported
            awaitDelivered();

            Result fixed = fixedRate(RATE, RATE_SECONDS);
            awaitDelivered();
            Result full = fullSpeed(FULL_ORDERS, CLIENTS);
            long e2eMs = awaitDelivered() - full.startNanos / 1_000_000;
            double heapMiB = metric("jvm_memory_used_bytes\\{area=\"heap\"[^}]*}") / 1024 / 1024;
            double cpu = metric("process_cpu_usage");

            report.append("| date | ").append(LocalDate.now()).append(" |\n")
                    .append("| machine | ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                    .append(memoryGiB()).append(" GiB RAM, ").append(System.getProperty("java.vm.name")).append(' ')
                    .append(System.getProperty("java.version")).append(", hub heap -Xmx512m |\n")
                    .append("| hub start to ready | ").append(startMs).append(" ms |\n")
                    .append(String.format("| fixed %d/s for %d s: acked | %d of %d, errors %d |%n", RATE,
                            RATE_SECONDS, fixed.ok, fixed.sent, fixed.errors))
                    .append(String.format("| fixed %d/s: ack latency p50 / p99 / max | %.1f / %.1f / %.1f ms |%n",
                            RATE, fixed.percentile(50), fixed.percentile(99), fixed.max()))
                    .append(String.format("| full speed, %d clients: acked | %d of %d, errors %d |%n", CLIENTS,
                            full.ok, full.sent, full.errors))
                    .append(String.format("| full speed: ack rate | %.0f orders/s |%n", full.ok * 1000.0
                            / full.elapsedMs()))
                    .append(String.format("| full speed: ack latency p50 / p99 / max | %.1f / %.1f / %.1f ms |%n",
                            full.percentile(50), full.percentile(99), full.max()))
                    .append(String.format("| full speed: end-to-end (POST -> stored -> 5 stage queues delivered) "
                            + "| %.0f orders/s (%d orders in %d ms) |%n", full.ok * 1000.0 / e2eMs, full.ok, e2eMs))
                    .append(String.format("| hub heap used at end / process CPU | %.0f MiB / %.0f %% |%n", heapMiB,
                            cpu * 100));
            Path out = Path.of("target", "benchmarks", "own-channel.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report.toString());
            System.out.println("\n" + report);
            assertThat(fixed.ok).isEqualTo(fixed.sent);
            assertThat(full.ok).isEqualTo(full.sent);
        } finally {
            hub.stop();
        }
    }

    record Result(int sent, int ok, int errors, long startNanos, long endNanos, double[] latenciesMs) {
        long elapsedMs() {
            return TimeUnit.NANOSECONDS.toMillis(endNanos - startNanos);
        }

        double percentile(int p) {
            double[] sorted = latenciesMs.clone();
            Arrays.sort(sorted);
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
        }

        double max() {
            return Arrays.stream(latenciesMs).max().orElse(Double.NaN);
        }
    }

    private Result fixedRate(int rate, int seconds) throws Exception {
        int total = rate * seconds;
        long interval = 1_000_000_000L / rate;
        double[] latencies = new double[total];
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        List<CompletableFuture<?>> inFlight = new ArrayList<>(total);
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int n = i;
            inFlight.add(http.sendAsync(request(), HttpResponse.BodyHandlers.discarding()).handle((r, e) -> {
                latencies[n] = (System.nanoTime() - scheduled) / 1e6;
                if (e == null && r.statusCode() == 202) {
                    ok.incrementAndGet();
                } else {
                    errors.incrementAndGet();
                }
                return null;
            }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        return new Result(total, ok.get(), errors.get(), start, System.nanoTime(), latencies);
    }

    private Result fullSpeed(int total, int clients) throws Exception {
        double[] latencies = new double[total];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                for (int n = next.getAndIncrement(); n < total; n = next.getAndIncrement()) {
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(request(), HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 202) {
                            ok.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException e) {
                        errors.incrementAndGet();
                    }
                    latencies[n] = (System.nanoTime() - sent) / 1e6;
                }
                return null;
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.MINUTES)).isTrue();
        return new Result(total, ok.get(), errors.get(), start, System.nanoTime(), latencies);
    }

    private HttpRequest request() {
        return HttpRequest.newBuilder(hub.uri("/api/v1/orders")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + HubProcess.DEMO_KEY).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(Orders.soho("bench-" + UUID.randomUUID()))).build();
    }

    private long awaitDelivered() {
        return HubScrape.awaitDelivered(http, hub);
    }

    private double metric(String series) throws IOException, InterruptedException {
        return HubScrape.metric(http, hub, series);
    }

    private static long memoryGiB() {
        return HubScrape.memoryGiB();
    }
}
