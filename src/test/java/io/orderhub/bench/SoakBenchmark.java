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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The soak (issue 6, outside CI): the packaged hub under a steady mixed load ({@link LoadMix}) for a long time, sampled
 * every minute: heap live after the last collection, threads by pool, open file descriptors (sockets and the rest),
 * the backlog (orders received but not yet through the pos stage) and the data directory. At the end each must be
 * flat: the last third of the run no higher than the first third allows (threads other than the HTTP workers and
 * files other than sockets +10 %; the live heap's lowest sample +25 %, since its peaks carry the backlog's broker
 * messages, and no sample above three quarters of the heap), and the backlog not growing. The hub keeps orders for
 * {@code bench.soak.retention-minutes} (10; 0 keeps all): in a run at least three times that long, the H2 file of the
 * last third must stay within 15 % of the middle third's. The HTTP workers and the sockets
 * follow the concurrent requests, which the load generator caps ({@code bench.soak.max-in-flight}, like a vendor
 * sending over a bounded connection pool): they must stay within what that cap explains, not be flat, because a
 * stall of a second at a high rate legitimately opens more connections, and Tomcat keeps a busy pool's threads.
 * {@code mvn -Pbench verify -Dit.test=SoakBenchmark -Dbench.soak.rate=100 -Dbench.soak.minutes=120}; results in
 * target/benchmarks/soak.md (docs/reliability.md).
 */
class SoakBenchmark {

    private static final int RATE = Integer.getInteger("bench.soak.rate", 100);
    /** The hub's -Xmx: issue 6 asks for at most 512 MiB of heap at load. */
    private static final int HEAP_MIB = 512;
    private static final int MINUTES = Integer.getInteger("bench.soak.minutes", 120);
    private static final int SAMPLE_SECONDS = Integer.getInteger("bench.soak.sample-seconds", 60);
    private static final int MAX_IN_FLIGHT = Integer.getInteger("bench.soak.max-in-flight", 64);
    /** The hub's retention of orders during the soak (0 keeps every order): what makes the database file level off. */
    private static final int RETENTION_MINUTES = Integer.getInteger("bench.soak.retention-minutes", 10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(8)).build();

    private record Sample(long second, long sent, long acked, double liveHeapMiB, ProcessCensus census,
                          double backlog, double dataMiB, double h2MiB, double h2Used) {
    }

    @Test
    void heapThreadsFilesAndBacklogStayFlat() throws Exception {
        LoadMix mix = new LoadMix();
        LightVendorStubs stubs = LightVendorStubs.wanted() ? new LightVendorStubs() : null;
        List<String> hubArgs = new ArrayList<>(List.of("--logging.level.root=WARN",
                "--orderhub.sandbox.request-journal-entries=0",
                "--orderhub.retention.orders=" + RETENTION_MINUTES + "m", "--orderhub.retention.interval=1m"));
        if (stubs != null) {
            hubArgs.addAll(stubs.hubArgs());
        }
        Path data = Path.of("target", "bench", UUID.randomUUID().toString());
        HubProcess hub = new HubProcess(data, HEAP_MIB + "m", hubArgs);
        hub.start();
        List<Sample> samples = new ArrayList<>();
        AtomicInteger acked = new AtomicInteger();
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        int capped = 0;
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
                if (!inFlight.tryAcquire()) {
                    capped++;
                    inFlight.acquire();
                }
                http.sendAsync(mix.request(hub, (int) (i % Integer.MAX_VALUE), UUID.randomUUID().toString()),
                        HttpResponse.BodyHandlers.discarding()).whenComplete((r, failure) -> {
                            inFlight.release();
                            if (r != null && r.statusCode() / 100 == 2) {
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
        StringBuilder report = new StringBuilder(String.format("date %s; %d cores; offered %d orders/s for %d min, at "
                + "most %d requests in flight (the cap held a send back %d times); orders kept %d min%n%n"
                + "| minute | sent | acked | live heap after GC | threads: HTTP workers / others "
                + "| open files: sockets / others | backlog | data dir (database + broker) | H2 file, live share |%n"
                + "|---|---|---|---|---|---|---|---|---|%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), RATE, MINUTES, MAX_IN_FLIGHT, capped, RETENTION_MINUTES));
        for (Sample s : samples) {
            report.append(String.format(
                    "| %d | %d | %d | %.0f MiB | %d / %d | %d / %d | %.0f | %.0f MiB | %.0f MiB, %.0f %% |%n",
                    s.second() / 60, s.sent(), s.acked(), s.liveHeapMiB(), s.census().httpWorkers(),
                    s.census().otherThreads(), s.census().sockets(), s.census().otherFiles(), s.backlog(), s.dataMiB(),
                    s.h2MiB(), s.h2Used()));
        }
        report.append(poolChanges(samples.get(Math.min(1, samples.size() - 1)).census(),
                samples.get(samples.size() - 1).census()));
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
        if (RETENTION_MINUTES > 0 && MINUTES >= 3 * (RETENTION_MINUTES + 2)) {
            // the retention job deletes as many orders as arrive once the run is past the retention: the live data,
            // and with it the database file, stop growing by the middle third
            List<Sample> middle = samples.subList(third, samples.size() - third);
            assertThat(max(last, Sample::h2MiB)).as("H2 file (MiB) in the last third, retention on")
                    .isLessThanOrEqualTo(max(middle, Sample::h2MiB) * 1.15);
        }
        assertThat(max(last, s -> s.census().otherThreads())).as("threads other than the HTTP workers")
                .isLessThanOrEqualTo(max(first, s -> s.census().otherThreads()) * 1.1);
        // Tomcat starts a worker when none is idle: at most one per request in flight, plus its idle spares (10)
        assertThat(max(samples, s -> s.census().httpWorkers())).as("HTTP workers")
                .isLessThanOrEqualTo(MAX_IN_FLIGHT + 10);
        assertThat(max(last, s -> s.census().otherFiles())).as("open files other than sockets")
                .isLessThanOrEqualTo(max(first, s -> s.census().otherFiles()) * 1.1);
        // the client keeps at most one connection per request in flight; a leak of one socket per thousand orders
        // would pass this bound within minutes
        assertThat(max(last, s -> s.census().sockets())).as("open sockets")
                .isLessThanOrEqualTo(max(first, s -> s.census().sockets()) + MAX_IN_FLIGHT);
        // the live heap rises and falls with the broker messages of the backlog at the sampled moment (a burst of
        // 3,000 orders is ~80 MiB): a leak shows as a rising floor, exhaustion as a peak near the heap's size
        assertThat(min(last, Sample::liveHeapMiB)).as("live heap after GC, lowest sample of the last third")
                .isLessThanOrEqualTo(min(first, Sample::liveHeapMiB) * 1.25);
        assertThat(max(samples.subList(1, samples.size()), Sample::liveHeapMiB)).as("live heap after GC, any sample")
                .isLessThanOrEqualTo(HEAP_MIB * 0.75);
        assertThat(max(last, Sample::backlog)).as("backlog (the hub keeps up with the offered rate)")
                .isLessThanOrEqualTo(Math.max(2.0 * RATE, max(first, Sample::backlog) * 1.5));
    }

    private Sample sample(HubProcess hub, Path data, long second, long sent, int acked) throws Exception {
        String s = HubScrape.scrape(http, hub);
        double received = HubScrape.sum(s, "orderhub_orders_received_total\\{[^}]*}");
        // every order, of any channel, reaches the pos stage (channel-status gets only the delivery apps' orders)
        double delivered = HubScrape.sum(s, "orderhub_stage_delivered_total\\{event=\"order.created\",stage=\"pos\"}");
        return new Sample(second, sent, acked, HubScrape.sum(s, "jvm_gc_live_data_size_bytes") / 1024 / 1024,
                ProcessCensus.of(hub.pid()), Math.max(0, received - delivered), dataMiB(data),
                HubScrape.sum(s, "orderhub_database_file_bytes") / 1024 / 1024,
                HubScrape.sum(s, "orderhub_database_chunks_used_percent"));
    }

    /** The thread pools whose size differs between two censuses (what grew, if something did). */
    private static String poolChanges(ProcessCensus from, ProcessCensus to) {
        StringBuilder out = new StringBuilder(String.format("%nThread pools that changed size between minute 1 and the "
                + "end:%n%n| pool | minute 1 | end |%n|---|---|---|%n"));
        java.util.Set<String> pools = new java.util.TreeSet<>(from.threadsByPool().keySet());
        pools.addAll(to.threadsByPool().keySet());
        for (String pool : pools) {
            int a = from.threadsByPool().getOrDefault(pool, 0);
            int b = to.threadsByPool().getOrDefault(pool, 0);
            if (a != b) {
                out.append(String.format("| `%s` | %d | %d |%n", pool, a, b));
            }
        }
        return out.toString();
    }

    /** The hub's data directory on disk: its database and broker journal (they grow with the orders kept). */
    private static double dataMiB(Path data) throws java.io.IOException {
        try (var files = Files.walk(data)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum() / 1024.0 / 1024;
        }
    }

    private static double min(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f) {
        return samples.stream().mapToDouble(f).min().orElse(0);
    }

    private static double max(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f) {
        return samples.stream().mapToDouble(f).max().orElse(0);
    }
}
