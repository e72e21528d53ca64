package io.orderhub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderhub.support.HubProcess;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The soak (issue 6, outside CI): the packaged hub under a steady mixed load ({@link LoadMix}) for a long time, sampled
 * every minute: heap live after the last collection, live threads, open file descriptors, and the backlog (orders
 * received but not yet through all five stages). At the end each must be flat: the last third of the run no higher
 * than the first third allows (threads and files +10 %, live heap +25 %), and the backlog not growing.
 * {@code mvn -Pbench verify -Dit.test=SoakBenchmark -Dbench.soak.rate=100 -Dbench.soak.minutes=120}; results in
 * target/benchmarks/soak.md (docs/reliability.md).
 */
class SoakBenchmark {

    private static final int RATE = Integer.getInteger("bench.soak.rate", 100);
    private static final int MINUTES = Integer.getInteger("bench.soak.minutes", 120);
    private static final int SAMPLE_SECONDS = Integer.getInteger("bench.soak.sample-seconds", 60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(8)).build();

    private record Sample(long second, long sent, long acked, double liveHeapMiB, double threads, double files,
                          double backlog, double dataMiB) {
    }

    @Test
    void heapThreadsFilesAndBacklogStayFlat() throws Exception {
        LoadMix mix = new LoadMix();
        LightVendorStubs stubs = LightVendorStubs.wanted() ? new LightVendorStubs() : null;
        List<String> hubArgs = new ArrayList<>(List.of("--logging.level.root=WARN",
                "--orderhub.sandbox.request-journal-entries=0"));
        if (stubs != null) {
            hubArgs.addAll(stubs.hubArgs());
        }
        Path data = Path.of("target", "bench", UUID.randomUUID().toString());
        HubProcess hub = new HubProcess(data, "512m", hubArgs);
        hub.start();
        List<Sample> samples = new ArrayList<>();
        AtomicInteger acked = new AtomicInteger();
        try {
            long total = (long) RATE * MINUTES * 60;
            long interval = 1_000_000_000L / RATE;
            long start = System.nanoTime();
            long nextSample = start;
            for (long i = 0; i < total; i++) {
                long scheduled = start + i * interval;
                if (scheduled >= nextSample) {
                    samples.add(sample(hub, data, (scheduled - start) / 1_000_000_000L, i, acked.get()));
                    nextSample += TimeUnit.SECONDS.toNanos(SAMPLE_SECONDS);
                }
                long wait = scheduled - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                http.sendAsync(mix.request(hub, (int) (i % Integer.MAX_VALUE), UUID.randomUUID().toString()),
                        HttpResponse.BodyHandlers.discarding()).thenAccept(r -> {
                            if (r.statusCode() / 100 == 2) {
                                acked.incrementAndGet();
                            }
                        });
            }
            samples.add(sample(hub, data, MINUTES * 60L, total, acked.get()));
        } finally {
            hub.stop();
            if (stubs != null) {
                stubs.close();
            }
        }
        StringBuilder report = new StringBuilder(String.format("date %s; %d cores; offered %d orders/s for %d min%n%n"
                + "| minute | sent | acked | live heap after GC | threads | open files | backlog | data dir (database + "
                + "broker) |%n|---|---|---|---|---|---|---|---|%n", LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                RATE, MINUTES));
        for (Sample s : samples) {
            report.append(String.format("| %d | %d | %d | %.0f MiB | %.0f | %.0f | %.0f | %.0f MiB |%n", s.second() / 60,
                    s.sent(), s.acked(), s.liveHeapMiB(), s.threads(), s.files(), s.backlog(), s.dataMiB()));
        }
        Path out = Path.of("target", "benchmarks", "soak.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        System.out.println("\n" + report);

        if (stubs != null) {
            assertThat(stubs.notStubbed()).as("vendor calls the light stubs could not answer").isZero();
        }
        int third = Math.max(1, samples.size() / 3);
        List<Sample> first = samples.subList(1, Math.max(2, third));   // minute 0 is the hub just started
        List<Sample> last = samples.subList(samples.size() - third, samples.size());
        assertThat(max(last, Sample::threads)).as("live threads").isLessThanOrEqualTo(max(first, Sample::threads) * 1.1);
        assertThat(max(last, Sample::files)).as("open files").isLessThanOrEqualTo(max(first, Sample::files) * 1.1);
        assertThat(max(last, Sample::liveHeapMiB)).as("live heap after GC")
                .isLessThanOrEqualTo(max(first, Sample::liveHeapMiB) * 1.25);
        assertThat(max(last, Sample::backlog)).as("backlog (the hub keeps up with the offered rate)")
                .isLessThanOrEqualTo(Math.max(2.0 * RATE, max(first, Sample::backlog) * 1.5));
    }

    private Sample sample(HubProcess hub, Path data, long second, long sent, int acked) throws Exception {
        String s = HubScrape.scrape(http, hub);
        double received = HubScrape.sum(s, "orderhub_orders_received_total\\{[^}]*}");
        // every order, of any channel, reaches the pos stage (channel-status gets only the delivery apps' orders)
        double delivered = HubScrape.sum(s, "orderhub_stage_delivered_total\\{stage=\"pos\"}");
        return new Sample(second, sent, acked, HubScrape.sum(s, "jvm_gc_live_data_size_bytes") / 1024 / 1024,
                HubScrape.sum(s, "jvm_threads_live_threads"), HubScrape.sum(s, "process_files_open_files"),
                Math.max(0, received - delivered), dataMiB(data));
    }

    /** The hub's data directory on disk: its database and broker journal (they grow with the orders kept). */
    private static double dataMiB(Path data) throws java.io.IOException {
        try (var files = Files.walk(data)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum() / 1024.0 / 1024;
        }
    }

    private static double max(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f) {
        return samples.stream().mapToDouble(f).max().orElse(0);
    }
}
