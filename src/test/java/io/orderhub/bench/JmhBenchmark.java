package io.orderhub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.orderhub.bench.jmh.IdempotencyJmh;
import io.orderhub.bench.jmh.TranslationJmh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * JMH microbenchmarks (src/test/java/io/orderhub/bench/jmh): translation per vendor ({@link TranslationJmh}) and the
 * idempotency checks against H2 ({@link IdempotencyJmh}), one thread. Each benchmark runs twice: throughput
 * (ops/s) and average time (µs/op). Run with {@code mvn -Pbench verify -Dit.test=JmhBenchmark}; JMH's JSON goes to
 * target/benchmarks/jmh.json, the table to target/benchmarks/jmh.md.
 *
 * <p>System properties: {@code bench.jmh.forks} (1), {@code bench.jmh.warmup-iterations} (2),
 * {@code bench.jmh.iterations} (3), {@code bench.jmh.time} (seconds per iteration, warm-up and measurement: 1),
 * {@code bench.jmh.include} (a regular expression over benchmark names: all of the two classes),
 * {@code bench.jmh.keys} (pre-filled keys of the idempotency database: 100000),
 * {@code bench.jmh.jvm-args} (of the forked JVM: -Xmx1g).
 *
 * <p>The forked JVM gets the test classpath: JMH starts it with this JVM's java.class.path, which under failsafe is
 * the manifest-only booter jar whose Class-Path names test-classes, classes and every test dependency; the working
 * directory is the project's, so adapters/ and config/ resolve.
 */
class JmhBenchmark {

    private static final Path OUT = Path.of("target", "benchmarks");

    @Test
    void jmh() throws Exception {
        Files.createDirectories(OUT);
        String include = System.getProperty("bench.jmh.include",
                "^(" + TranslationJmh.class.getName() + "|" + IdempotencyJmh.class.getName() + ")\\.");
        List<RunResult> results = new ArrayList<>();
        results.addAll(run(include, Mode.Throughput, TimeUnit.SECONDS, OUT.resolve("jmh-thrpt.json")));
        results.addAll(run(include, Mode.AverageTime, TimeUnit.MICROSECONDS, OUT.resolve("jmh-avgt.json")));

        // one JSON file, JMH's own format: the two runs' arrays joined
        ObjectMapper json = new ObjectMapper();
        ArrayNode all = json.createArrayNode();
        for (String part : List.of("jmh-thrpt.json", "jmh-avgt.json")) {
            all.addAll((ArrayNode) json.readTree(OUT.resolve(part).toFile()));
            Files.delete(OUT.resolve(part));
        }
        json.writerWithDefaultPrettyPrinter().writeValue(OUT.resolve("jmh.json").toFile(), all);

        StringBuilder md = new StringBuilder("JMH " + org.openjdk.jmh.util.Version.getPlainVersion() + ", "
                + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + "; forks " + forks() + ", warm-up " + warmups() + " x "
                + time() + " s, measurement " + iterations() + " x " + time() + " s, 1 thread\n\n"
                + "| benchmark | mode | score | error (99.9 %) | unit |\n|---|---|---|---|---|\n");
        results.sort((a, b) -> {
            int byName = a.getParams().getBenchmark().compareTo(b.getParams().getBenchmark());
            return byName != 0 ? byName : a.getParams().getMode().compareTo(b.getParams().getMode());
        });
        for (RunResult r : results) {
            Result<?> p = r.getPrimaryResult();
            String name = r.getParams().getBenchmark().replace("io.orderhub.bench.jmh.", "");
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", name,
                    r.getParams().getMode().shortLabel(), number(p.getScore()), number(p.getScoreError()),
                    p.getScoreUnit()));
        }
        Files.writeString(OUT.resolve("jmh.md"), md.toString());
        System.out.println("\n" + md);

        assertThat(results).as("JMH results").isNotEmpty();
        for (RunResult r : results) {
            assertThat(r.getPrimaryResult().getScore()).as(r.getParams().getBenchmark() + " "
                    + r.getParams().getMode()).isPositive().isFinite();
        }
        if (!System.getProperties().containsKey("bench.jmh.include")) {
            // 8 translation + 4 idempotency benchmarks, each in two modes
            assertThat(results).hasSize(2 * 12);
        }
    }

    private static Collection<RunResult> run(String include, Mode mode, TimeUnit unit, Path json) throws Exception {
        TimeValue time = TimeValue.seconds(time());
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(include)
                .mode(mode)
                .timeUnit(unit)
                .forks(forks())
                .warmupIterations(warmups())
                .warmupTime(time)
                .measurementIterations(iterations())
                .measurementTime(time)
                .threads(1)
                .param("keys", System.getProperty("bench.jmh.keys", "100000"))
                .shouldFailOnError(true)
                .result(json.toString())
                .resultFormat(ResultFormatType.JSON);
        String jvmArgs = System.getProperty("bench.jmh.jvm-args", "-Xmx1g");
        if (!jvmArgs.isBlank()) {
            options.jvmArgsAppend(jvmArgs.trim().split("\\s+"));
        }
        return new Runner(options.build()).run();
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "–" : v >= 100 ? String.format(Locale.ROOT, "%,.0f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    private static int forks() {
        return Integer.getInteger("bench.jmh.forks", 1);
    }

    private static int warmups() {
        return Integer.getInteger("bench.jmh.warmup-iterations", 5);
    }

    private static int iterations() {
        return Integer.getInteger("bench.jmh.iterations", 5);
    }

    private static int time() {
        return Integer.getInteger("bench.jmh.time", 1);
    }
}
