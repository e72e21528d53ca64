package io.orderhub.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.order.OrderEvent;
import io.orderhub.support.OfflineAdapters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden samples of every adapter folder, found by themselves (no test class per vendor):
 * <ul>
 * <li>{@code samples/<case>.input.json} (a payload exactly as the vendor sends it) translates to exactly
 * {@code samples/<case>.canonical.json}: the canonical order, or {@code {"update": ...}} / {@code {"ignored": ...}};
 * thin events fetch their order from the adapter's {@code wiremock/} stubs, served locally as in a sandbox run;</li>
 * <li>{@code samples/<case>.event.json} (an order event of the hub) gives exactly the vendor call in
 * {@code samples/<case>.call.json} ({@code {"none": true}} when the vendor is told nothing);</li>
 * <li>{@code samples/<case>.unreadable.json} (a payload the hub will give up on) gives exactly the refusal in
 * {@code samples/<case>.refusal.json}.</li>
 * </ul>
 * Samples run with the sandbox configuration (config/application-sandbox.yaml) (store map, settings), a fixed clock (2026-01-01T12:00:00Z) and an order id
 * derived from the case name. {@code -Dorderhub.golden.adapter=<id>} limits the run to one adapter; every actual
 * result is also written to {@code target/golden/<id>/<case>.actual.json} for review.
 */
class AdapterSamplesTest {

    static final Instant AT = Instant.parse("2026-01-01T12:00:00Z");
    static final String UNREADABLE_REASON = "PermanentFailure: the order could not be read";
    static AdapterRegistry registry;
    static ObjectMapper json;

    @BeforeAll
    static void load() throws IOException {
        json = OfflineAdapters.JSON;
        registry = OfflineAdapters.registry(Clock.fixed(AT, ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @TestFactory
    List<DynamicNode> goldenSamples() throws IOException {
        String only = System.getProperty("orderhub.golden.adapter");
        List<DynamicNode> nodes = new ArrayList<>();
        for (Adapter adapter : registry.all()) {
            if (only != null && !only.isBlank() && !only.equals(adapter.id())) {
                continue;
            }
            Path samples = Path.of("adapters", adapter.id(), "samples");
            List<DynamicNode> cases = new ArrayList<>();
            for (Path input : list(samples, ".input.json")) {
                String name = input.getFileName().toString().replace(".input.json", "");
                cases.add(DynamicTest.dynamicTest(name + " translates", () -> {
                    var context = new VendorAdapter.TranslationContext(
                            UUID.nameUUIDFromBytes(name.getBytes()), "golden-" + name, AT);
                    Inbound inbound = adapter.vendor().translate(Files.readString(input), context, adapter.context());
                    JsonNode actual = json.readTree(json.writeValueAsString(golden(inbound)));
                    compare(adapter, samples.resolve(name + ".canonical.json"), name, actual);
                }));
            }
            for (Path event : list(samples, ".event.json")) {
                String name = event.getFileName().toString().replace(".event.json", "");
                cases.add(DynamicTest.dynamicTest(name + " tells the vendor", () -> {
                    OrderEvent e = json.readValue(event.toFile(), OrderEvent.class);
                    Optional<VendorCall> call = adapter.vendor().statusCall(e, adapter.context());
                    JsonNode actual = json.readTree(json.writeValueAsString(call.isPresent() ? call.get()
                            : Map.of("none", true)));
                    compare(adapter, samples.resolve(name + ".call.json"), name, actual);
                }));
            }
            for (Path event : list(samples, ".pos-event.json")) {
                String name = event.getFileName().toString().replace(".pos-event.json", "");
                cases.add(DynamicTest.dynamicTest(name + " goes into the POS", () -> {
                    OrderEvent e = json.readValue(event.toFile(), OrderEvent.class);
                    // what the POS answered earlier (its order id, version, data), as posAnswered would remember it
                    Path ref = samples.resolve(name + ".pos-ref.json");
                    if (Files.exists(ref)) {
                        JsonNode r = json.readTree(ref.toFile());
                        adapter.context().rememberOrder(e.orderId(), r.path("vendorOrderId").asText(),
                                r.path("version").asText(null), r.has("data") ? r.get("data").toString() : null);
                    }
                    Optional<VendorCall> call = adapter.vendor().posCall(e, adapter.id() + ":" + e.eventId(),
                            adapter.context());
                    JsonNode actual = json.readTree(json.writeValueAsString(call.isPresent() ? call.get()
                            : Map.of("none", true)));
                    compare(adapter, samples.resolve(name + ".pos-call.json"), name, actual);
                }));
            }
            for (Path message : list(samples, ".message-event.json")) {
                String name = message.getFileName().toString().replace(".message-event.json", "");
                cases.add(DynamicTest.dynamicTest(name + " is sent to the customer", () -> {
                    VendorAdapter.CustomerMessage m = json.readValue(message.toFile(),
                            VendorAdapter.CustomerMessage.class);
                    Optional<VendorCall> call = adapter.vendor().messageCall(m, adapter.context());
                    JsonNode actual = json.readTree(json.writeValueAsString(call.isPresent() ? call.get()
                            : Map.of("none", true)));
                    compare(adapter, samples.resolve(name + ".message-call.json"), name, actual);
                }));
            }
            for (Path unreadable : list(samples, ".unreadable.json")) {
                String name = unreadable.getFileName().toString().replace(".unreadable.json", "");
                cases.add(DynamicTest.dynamicTest(name + " given up on: the vendor is told", () -> {
                    Optional<VendorCall> call = adapter.vendor().refuseUnreadable(Files.readString(unreadable),
                            UNREADABLE_REASON, adapter.context());
                    JsonNode actual = json.readTree(json.writeValueAsString(call.isPresent() ? call.get()
                            : Map.of("none", true)));
                    compare(adapter, samples.resolve(name + ".refusal.json"), name, actual);
                }));
            }
            if (adapter.takesEventsIn()) {
                cases.add(DynamicTest.dynamicTest("has at least 4 translation samples", () -> assertThat(
                        list(samples, ".input.json")).as(samples.toString()).hasSizeGreaterThanOrEqualTo(4)));
            } else {
                cases.add(DynamicTest.dynamicTest("has at least 2 outbound samples", () -> assertThat(
                        list(samples, "-event.json")).as(samples.toString()).hasSizeGreaterThanOrEqualTo(2)));
            }
            nodes.add(DynamicContainer.dynamicContainer(adapter.id(), cases));
        }
        return nodes;
    }

    static Object golden(Inbound inbound) {
        if (inbound instanceof Inbound.NewOrder n) {
            return n.order();
        }
        if (inbound instanceof Inbound.OrderUpdate u) {
            return Map.of("update", u);
        }
        return Map.of("ignored", ((Inbound.Ignored) inbound).why());
    }

    private static void compare(Adapter adapter, Path expectedFile, String name, JsonNode actual) throws IOException {
        Path out = Path.of("target", "golden", adapter.id(), name + ".actual.json");
        Files.createDirectories(out.getParent());
        json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), actual);
        assertThat(expectedFile).as("golden file for " + name + " (actual written to " + out + ")").exists();
        assertThat(actual).as(name + " against " + expectedFile + " (actual in " + out + ")")
                .isEqualTo(json.readTree(expectedFile.toFile()));
    }

    private static List<Path> list(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }
}
