package io.orderhub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.orderhub.support.HubProcess;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;

/**
 * The hub as a whole under load (issue 6), not part of `mvn verify`:
 * {@code mvn -Pbench verify -Dit.test=HubLoadBenchmark} (docs/benchmarks.md, "Load sweep").
 *
 * <p>The packaged hub (demo profile, vendor sandboxes in its JVM, request journals off) gets a mixed load ({@link
 * LoadMix}) for brooklyn and soho, whose POS is Square: DoorDash order webhooks (3 KiB, bearer token), Uber Eats
 * webhooks (HMAC-signed, thin: the hub fetches the 9.7 KiB order) and own-channel orders (about 2.3 KiB, eight
 * lines, modifiers, notes, allergies, delivery address), half of the load webhooks. First at fixed offered rates, each for a
 * bounded time, scheduled by the clock (a slow hub shows as latency, not as a slower load), then at full speed from
 * closed-loop clients. Per step: acknowledged, errors, ack latency from the scheduled send, achieved end-to-end rate
 * (every order stored and delivered to each stage it concerns, the platform told), hub CPU (from /proc) and
 * heap.
 * After the run the hub is stopped and its database read for the latency to the POS (Square's answer recorded) and
 * to the KDS (first ticket stored). Then the broker's own limit ({@link BrokerLimit}) with messages of the same
 * size, and the ratio. Writes target/benchmarks/load.md and target/benchmarks/load.png.
 */
class HubLoadBenchmark {

    private static final int[] RATES = Arrays.stream(System.getProperty("bench.load.rates", "25,50,100,200,500")
            .split(",")).mapToInt(Integer::parseInt).toArray();
    private static final int SECONDS = Integer.getInteger("bench.load.seconds", 10);
    private static final int FULL_ORDERS = Integer.getInteger("bench.load.full-orders", 4000);
    private static final int CLIENTS = Integer.getInteger("bench.clients", 32);
    private static final int BROKER_SECONDS = Integer.getInteger("bench.broker.seconds", 20);
    /** Warm-up before the measured steps: this rate for this long, so the JIT has compiled the hot paths. */
    private static final int WARMUP_RATE = Integer.getInteger("bench.load.warmup-rate", 30);
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.load.warmup-seconds", 60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(8)).build();
    private final ObjectMapper json = new ObjectMapper();

    /** One step of the run: what was offered, what came back. */
    private record Step(String name, double offered, int total, int acked, int errors, double[] ackMs,
                        double achieved, double cpuCores, double heapMiB, Map<String, Long> sentAt) {
    }

    @Test
    void mixedLoadSweepFullSpeedAndTheBrokersLimit() throws Exception {
        LoadMix mix = new LoadMix();
        Path data = Path.of("target", "bench", UUID.randomUUID().toString()).toAbsolutePath();
        LightVendorStubs stubs = LightVendorStubs.wanted() ? new LightVendorStubs() : null;
        List<String> hubArgs = new ArrayList<>(List.of("--logging.level.root=WARN",
                "--orderhub.sandbox.request-journal-entries=0"));
        if (stubs != null) {
            hubArgs.addAll(stubs.hubArgs());
        }
        HubProcess hub = new HubProcess(data, "512m", hubArgs);
        long startMs = hub.start();
        List<Step> steps = new ArrayList<>();
        String database = "";
        int meanBytes = mix.meanBytes();
        try {
            fixedRate(hub, mix, "warm-up", WARMUP_RATE, WARMUP_SECONDS);
            for (int rate : RATES) {
                steps.add(fixedRate(hub, mix, rate + "/s for " + SECONDS + " s", rate, SECONDS));
            }
            steps.add(fullSpeed(hub, mix));
            String scrape = HubScrape.scrape(http, hub);
            double commits = HubScrape.sum(scrape, "orderhub_database_commits_total");
            double writes = HubScrape.sum(scrape, "orderhub_database_writes_total");
            double file = HubScrape.sum(scrape, "orderhub_database_file_bytes");
            double live = HubScrape.sum(scrape, "orderhub_database_chunks_used_percent");
            database = writes == 0 ? "no group commit (not an embedded H2 file)" : String.format(
                    "%.0f commits in %.0f writes of the H2 file (%.2f per write); file %.0f MiB, chunks %.0f %% live",
                    commits, writes, commits / writes, file / 1024 / 1024, live);
        } finally {
            hub.stop();
            if (stubs != null) {
                stubs.close();
            }
        }
        // before anything opens the file again: what the run's writes put into it, by table and index
        Path h2File = data.resolve("db/orderhub.mv.db");
        String pages = Files.exists(h2File) && !System.getProperties().containsKey("bench.db.url")
                ? H2PageCensus.of(h2File, 15) : "";
        Map<String, long[]> reached = reached(data);
        BrokerLimit.Result broker = BrokerLimit.measure(meanBytes, BROKER_SECONDS);

        StringBuilder report = new StringBuilder();
        report.append(String.format("date %s; machine %d cores, %d GiB RAM, %s %s; hub heap -Xmx512m; hub start to "
                        + "ready %d ms; load %s; vendor stubs %s; payloads: %s%n%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), HubScrape.memoryGiB(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), startMs, LoadMix.mix(),
                stubs == null ? "WireMock sandboxes in the hub" : "light, in the benchmark's JVM (" + stubs.calls()
                        + " calls)", mix.sizes()));
        report.append("| load | acked / sent | errors | ack p50 / p99 / max | end-to-end achieved | sent -> POS answered "
                + "p50 / p99 | sent -> KDS ticket p50 / p99 | hub CPU | hub heap at end |\n|---|---|---|---|---|---|---|"
                + "---|---|\n");
        XYSeries achieved = new XYSeries("end-to-end orders/s achieved");
        XYSeries offeredLine = new XYSeries("offered");
        XYSeries ackP99 = new XYSeries("ack p99 (ms)");
        XYSeries posP99 = new XYSeries("to POS p99 (ms)");
        double best = 0;
        for (Step s : steps) {
            double[] pos = latencies(s, reached, 0);
            double[] kds = latencies(s, reached, 1);
            report.append(String.format("| %s | %d / %d | %d | %.0f / %.0f / %.0f ms | %.1f orders/s | %.0f / %.0f ms "
                            + "| %.0f / %.0f ms | %.2f cores | %.0f MiB |%n", s.name(), s.acked(), s.total(),
                    s.errors(), pct(s.ackMs(), 50), pct(s.ackMs(), 99), s.ackMs()[s.ackMs().length - 1],
                    s.achieved(), pct(pos, 50), pct(pos, 99), pct(kds, 50), pct(kds, 99), s.cpuCores(),
                    s.heapMiB()));
            best = Math.max(best, s.achieved());
            if (s.offered() > 0) {
                achieved.add(s.offered(), s.achieved());
                offeredLine.add(s.offered(), s.offered());
                ackP99.add(s.offered(), Math.max(1, pct(s.ackMs(), 99)));
                posP99.add(s.offered(), Math.max(1, pct(pos, 99)));
            }
        }
        report.append("\nwhere the time goes (p50 / p99 of each leg; the database's clock, millisecond timestamps):\n\n")
                .append(legs(steps, reached));
        report.append(String.format("%ndatabase: %s%n", database));
        if (!pages.isEmpty()) {
            report.append("\nthe H2 file's chunks by table and index (H2PageCensus):\n\n").append(pages);
        }
        report.append(String.format("%nbroker limit: `%s` -> %.0f msg/s (%d sent, %d received, persistent, %d bytes)"
                        + "%nhub / broker ratio: %.1f orders/s / %.0f msg/s = %.2f %%%n", broker.command(),
                broker.messagesPerSecond(), broker.sent(), broker.received(), meanBytes, best,
                broker.messagesPerSecond(), 100 * best / broker.messagesPerSecond()));
        Path out = Path.of("target", "benchmarks", "load.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        chart(achieved, offeredLine, ackP99, posP99, out.resolveSibling("load.png"));
        System.out.println("\n" + report);
        if (stubs != null) {
            assertThat(stubs.notStubbed()).as("vendor calls the light stubs could not answer").isZero();
        }
        for (Step s : steps) {
            assertThat(s.acked()).as(s.name() + " acknowledged").isEqualTo(s.total());
            for (String id : s.sentAt().keySet()) {
                assertThat(reached.get(id)).as("order " + id + " stored and at the POS").isNotNull();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ load

    private Step fixedRate(HubProcess hub, LoadMix mix, String name, int rate, int seconds)
            throws Exception {
        int total = rate * seconds;
        long interval = 1_000_000_000L / rate;
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        double[] ackMs = new double[total];
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> inFlight = new ArrayList<>(total);
        long cpu0 = cpuTicks(hub);
        long start = System.nanoTime();
        long startWall = System.currentTimeMillis();
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int n = i;
            String id = UUID.randomUUID().toString();
            sentAt.put(LoadMix.key(i, id), startWall + (scheduled - start) / 1_000_000);
            inFlight.add(http.sendAsync(mix.request(hub, i, id), HttpResponse.BodyHandlers.discarding())
                    .handle((r, e) -> {
                        ackMs[n] = (System.nanoTime() - scheduled) / 1e6;
                        if (e == null && r.statusCode() / 100 == 2) {
                            ok.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                        }
                        return null;
                    }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        long done = HubScrape.awaitDelivered(http, hub);
        double wallSeconds = (done - start / 1_000_000) / 1000.0;
        double cores = (cpuTicks(hub) - cpu0) / 100.0 / wallSeconds;
        Arrays.sort(ackMs);
        return new Step(name, rate, total, ok.get(), errors.get(), ackMs, ok.get() / wallSeconds, cores,
                heapMiB(hub), sentAt);
    }

    private Step fullSpeed(HubProcess hub, LoadMix mix) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        double[] ackMs = new double[FULL_ORDERS];
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long cpu0 = cpuTicks(hub);
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            pool.submit(() -> {
                for (int n = next.getAndIncrement(); n < FULL_ORDERS; n = next.getAndIncrement()) {
                    String id = UUID.randomUUID().toString();
                    long sent = System.nanoTime();
                    sentAt.put(LoadMix.key(n, id), System.currentTimeMillis());
                    try {
                        HttpResponse<Void> r = http.send(mix.request(hub, n, id),
                                HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() / 100 == 2) {
                            ok.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException e) {
                        errors.incrementAndGet();
                    }
                    ackMs[n] = (System.nanoTime() - sent) / 1e6;
                }
                return null;
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(20, TimeUnit.MINUTES)).isTrue();
        double ackSeconds = (System.nanoTime() - start) / 1e9;
        long done = HubScrape.awaitDelivered(http, hub);
        double wallSeconds = (done - start / 1_000_000) / 1000.0;
        double cores = (cpuTicks(hub) - cpu0) / 100.0 / wallSeconds;
        Arrays.sort(ackMs);
        return new Step(String.format("full speed, %d clients (acked %.0f/s)", CLIENTS, ok.get() / ackSeconds), 0,
                FULL_ORDERS, ok.get(), errors.get(), ackMs, ok.get() / wallSeconds, cores, heapMiB(hub), sentAt);
    }

    // ------------------------------------------------------------------------------------------------ readings

    /**
     * Per business key, from the stopped hub (epoch millis): [POS answer recorded, first kitchen ticket stored, intake
     * stored (before the acknowledgement), order stored by the pipeline].
     */
    private static Map<String, long[]> reached(Path data) throws Exception {
        Map<String, long[]> reached = new HashMap<>();
        // the hub's database: its H2 file, or the one given with -Dbench.db.url (a PostgreSQL run, docs/benchmarks.md)
        String url = System.getProperty("bench.db.url", "jdbc:h2:file:" + data.resolve("db/orderhub"));
        try (Connection c = DriverManager.getConnection(url, System.getProperty("bench.db.user", "orderhub"), "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select o.business_key, (select min(t.at) from order_timeline t where "
                     + "t.order_id = o.id and t.kind = 'vendor-call' and t.stage = 'pos'), (select min(k.created_at) "
                     + "from kitchen_ticket k where k.order_id = o.id), (select min(i.received_at) from intake i where "
                     + "i.order_id = o.id), (select min(t.at) from order_timeline t where t.order_id = o.id and "
                     + "t.kind = 'accepted') from orders o where o.business_key like "
                     + "'doordash:order:%' or o.business_key like 'ubereats:order:%' or o.business_key like "
                     + "'own-channel:demo-web:ext:bench-%'")) {
            while (rs.next()) {
                if (rs.getTimestamp(2) != null && rs.getTimestamp(3) != null && rs.getTimestamp(4) != null
                        && rs.getTimestamp(5) != null) {
                    reached.put(rs.getString(1), new long[] {rs.getTimestamp(2).getTime(),
                        rs.getTimestamp(3).getTime(), rs.getTimestamp(4).getTime(), rs.getTimestamp(5).getTime()});
                }
            }
        }
        return reached;
    }

    private static double[] latencies(Step s, Map<String, long[]> reached, int which) {
        return s.sentAt().entrySet().stream().filter(e -> reached.containsKey(e.getKey()))
                .mapToDouble(e -> reached.get(e.getKey())[which] - e.getValue()).sorted().toArray();
    }

    /** From one of an order's moments to a later one ({@code from} -1: the moment the load generator sent it). */
    private static double[] between(Step s, Map<String, long[]> reached, int from, int to) {
        return s.sentAt().entrySet().stream().filter(e -> reached.containsKey(e.getKey())).mapToDouble(e -> {
            long[] at = reached.get(e.getKey());
            return at[to] - (from < 0 ? e.getValue() : at[from]);
        }).sorted().toArray();
    }

    /** Where an order's time to the POS and the KDS goes, per step: p50 / p99 of each leg. */
    private static String legs(List<Step> steps, Map<String, long[]> reached) {
        StringBuilder t = new StringBuilder("| load | sent -> intake stored | intake -> order stored (intake queue, "
                + "pipeline) | order stored -> POS answered (pos queue, POS call) | order stored -> KDS ticket |\n"
                + "|---|---|---|---|---|\n");
        for (Step s : steps) {
            t.append("| ").append(s.name());
            for (int[] leg : new int[][] {{-1, 2}, {2, 3}, {3, 0}, {3, 1}}) {
                double[] ms = between(s, reached, leg[0], leg[1]);
                t.append(String.format(" | %.0f / %.0f ms", pct(ms, 50), pct(ms, 99)));
            }
            t.append(" |\n");
        }
        return t.toString();
    }

    /** utime + stime of the hub's process in clock ticks (100 per second on Linux). */
    private static long cpuTicks(HubProcess hub) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(hub.process().pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private double heapMiB(HubProcess hub) throws IOException, InterruptedException {
        return HubScrape.sum(HubScrape.scrape(http, hub), "jvm_memory_used_bytes\\{area=\"heap\"[^}]*}")
                / 1024 / 1024;
    }

    private static double pct(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }

    private static void chart(XYSeries achieved, XYSeries offered, XYSeries ackP99, XYSeries posP99, Path png)
            throws IOException {
        NumberAxis load = new NumberAxis("offered load (orders/s)");
        XYSeriesCollection rates = new XYSeriesCollection();
        rates.addSeries(achieved);
        rates.addSeries(offered);
        XYPlot throughput = new XYPlot(rates, null, new NumberAxis("orders/s"),
                renderer(new Color(200, 30, 30), Color.GRAY));
        XYSeriesCollection times = new XYSeriesCollection();
        times.addSeries(ackP99);
        times.addSeries(posP99);
        LogAxis ms = new LogAxis("p99 latency (ms, log)");
        ms.setSmallestValue(1);
        ms.setNumberFormatOverride(new java.text.DecimalFormat("#,##0"));
        XYPlot latency = new XYPlot(times, null, ms, renderer(new Color(30, 80, 200), new Color(220, 120, 0)));
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(load);
        plot.add(throughput, 1);
        plot.add(latency, 1);
        JFreeChart chart = new JFreeChart("OrderHub: throughput and latency against offered load",
                JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 700);
    }

    private static XYLineAndShapeRenderer renderer(Color first, Color second) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        r.setSeriesPaint(0, first);
        r.setSeriesPaint(1, second);
        r.setDefaultStroke(new BasicStroke(2f));
        r.setAutoPopulateSeriesStroke(false);
        return r;
    }
}
