package io.orderhub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.adapter.Adapter;
import io.orderhub.adapter.AdapterRegistry;
import io.orderhub.adapter.Inbound;
import io.orderhub.adapter.VendorAdapter;
import io.orderhub.support.OfflineAdapters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Translation cost per order for every adapter: each golden sample that is a new order is translated repeatedly on
 * one thread (warm-up, then 5 timed rounds; the median round is reported). Thin vendors fetch the order from their
 * sandbox stub on loopback inside translate, so their figure includes that HTTP round trip. Run with
 * {@code mvn -Pbench verify -Dit.test=TranslationBenchmark}; results in target/benchmarks/translation.md.
 */
class TranslationBenchmark {

    private static final int ROUND = Integer.getInteger("bench.translation-round", 2_000);

    @Test
    void translationCostPerOrder() throws Exception {
        ObjectMapper json = OfflineAdapters.JSON;
        StringBuilder report = new StringBuilder("| date | adapter | sample | bytes | µs per translation (median of 5 x "
                + ROUND + ") | translations/s, one thread |\n|---|---|---|---|---|---|\n");
        try (AdapterRegistry registry = OfflineAdapters.registry(Clock.systemUTC())) {
            for (Adapter adapter : registry.all()) {
                for (Path sample : orderSamples(adapter.id(), json)) {
                    String payload = Files.readString(sample);
                    var context = new VendorAdapter.TranslationContext(UUID.randomUUID(), "bench", Instant.now());
                    for (int i = 0; i < ROUND; i++) {
                        assertThat(adapter.vendor().translate(payload, context, adapter.context()))
                                .isInstanceOf(Inbound.NewOrder.class);
                    }
                    double[] rounds = new double[5];
                    for (int r = 0; r < rounds.length; r++) {
                        long start = System.nanoTime();
                        for (int i = 0; i < ROUND; i++) {
                            adapter.vendor().translate(payload, context, adapter.context());
                        }
                        rounds[r] = (System.nanoTime() - start) / 1e3 / ROUND;
                    }
                    Arrays.sort(rounds);
                    report.append(String.format("| %s | %s | %s | %d | %.1f | %.0f |%n", LocalDate.now(),
                            adapter.id(), sample.getFileName().toString().replace(".input.json", ""),
                            payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, rounds[2],
                            1e6 / rounds[2]));
                }
            }
        }
        Path out = Path.of("target", "benchmarks", "translation.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        System.out.println("\n" + report);
    }

    private static List<Path> orderSamples(String id, ObjectMapper json) throws Exception {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("adapters", id, "samples"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".input.json")).sorted().toList()) {
                Path canonical = Path.of(p.toString().replace(".input.json", ".canonical.json"));
                if (json.readTree(canonical.toFile()).has("schemaVersion")) {
                    out.add(p);
                }
            }
        }
        return out;
    }
}
