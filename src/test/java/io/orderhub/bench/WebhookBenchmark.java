package io.orderhub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.orderhub.support.HubProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Signed delivery-platform webhooks through the packaged hub (profile demo, so the vendor sandboxes run inside the
 * hub's JVM): DoorDash order webhooks (bearer-token auth, a full order: no fetch), each with a fresh order id, from
 * closed-loop clients at full speed. End-to-end = every order stored and delivered to all five stages, the
 * channel-status stage included, which confirms each order to the DoorDash sandbox over loopback HTTP with a JWT.
 * Run with {@code mvn -Pbench verify -Dit.test=WebhookBenchmark}; results in target/benchmarks/webhooks.md.
 */
class WebhookBenchmark {

    private static final int ORDERS = Integer.getInteger("bench.webhook-orders", 10_000);
    private static final int CLIENTS = Integer.getInteger("bench.clients", 32);
    private static final String SAMPLE = "adapters/doordash/samples/delivery-asap-tip.input.json";
    private static final String SAMPLE_ORDER_ID = "3f2b9c1e-6d7a-4e58-9b0c-1a2d3e4f5a61";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(8)).build();

    @Test
    void signedWebhookOrdersPerSecond() throws Exception {
        String template = Files.readString(Path.of(SAMPLE));
        assertThat(template).contains(SAMPLE_ORDER_ID);
        String token = new ObjectMapper(new YAMLFactory()).readTree(Path.of("config/application-sandbox.yaml").toFile())
                .path("orderhub").path("adapters").path("doordash").path("signing-secret").asText();
        HubProcess hub = new HubProcess(Path.of("target", "bench", UUID.randomUUID().toString()), "512m",
                List.of("--logging.level.root=WARN",
                "--orderhub.sandbox.request-journal-entries=0"));
        long startMs = hub.start();
        try {
            run(hub, template, token, 1_000);   // warm-up
            HubScrape.awaitDelivered(http, hub, 5);
            double[] latencies = new double[ORDERS];
            long start = System.nanoTime();
            int ok = run(hub, template, token, ORDERS, latencies);
            long ackMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long e2eMs = HubScrape.awaitDelivered(http, hub, 5) - start / 1_000_000;
            Arrays.sort(latencies);
            String report = String.format("| date | %s |%n| machine | %d cores, %d GiB RAM, %s %s, hub heap -Xmx512m |%n"
                            + "| hub start to ready | %d ms |%n"
                            + "| DoorDash webhooks, %d clients: acked | %d of %d |%n"
                            + "| ack rate | %.0f webhooks/s |%n"
                            + "| ack latency p50 / p99 / max | %.1f / %.1f / %.1f ms |%n"
                            + "| end-to-end (webhook -> stored -> 5 stages, DoorDash sandbox confirmed) | %.0f orders/s"
                            + " (%d orders in %d ms) |%n",
                    LocalDate.now(), Runtime.getRuntime().availableProcessors(), HubScrape.memoryGiB(),
                    System.getProperty("java.vm.name"), System.getProperty("java.version"), startMs, CLIENTS, ok,
                    ORDERS, ok * 1000.0 / ackMs, pct(latencies, 50), pct(latencies, 99),
                    latencies[latencies.length - 1], ok * 1000.0 / e2eMs, ok, e2eMs);
            Path out = Path.of("target", "benchmarks", "webhooks.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
            System.out.println("\n" + report);
            assertThat(ok).isEqualTo(ORDERS);
        } finally {
            hub.stop();
        }
    }

    private int run(HubProcess hub, String template, String token, int total) throws Exception {
        return run(hub, template, token, total, new double[total]);
    }

    private int run(HubProcess hub, String template, String token, int total, double[] latencies) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            pool.submit(() -> {
                for (int n = next.getAndIncrement(); n < total; n = next.getAndIncrement()) {
                    String body = template.replace(SAMPLE_ORDER_ID, UUID.randomUUID().toString());
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(hub.uri("/webhooks/doordash"))
                                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() / 100 == 2) {
                            ok.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException e) {
                        // counted as not acknowledged
                    }
                    latencies[n] = (System.nanoTime() - sent) / 1e6;
                }
                return null;
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.MINUTES)).isTrue();
        return ok.get();
    }

    private static double pct(double[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }
}
