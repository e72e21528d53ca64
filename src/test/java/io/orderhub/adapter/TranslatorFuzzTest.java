package io.orderhub.adapter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.orderhub.HubProperties;
import io.orderhub.intake.OwnChannelTranslator;
import io.orderhub.menu.MenuCatalog;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.pipeline.OrderRejected;
import io.orderhub.pipeline.OrderTranslator;
import io.orderhub.pipeline.PermanentFailure;
import io.orderhub.pipeline.TransientFailure;
import io.orderhub.support.FuzzTarget;
import io.orderhub.support.OfflineAdapters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes every translator without a running hub (Jazzer; docs/reliability.md, "Fuzzing"): any bytes a vendor, or an
 * own channel, might send translate into an {@link Inbound} / a canonical order, or fail with one of the failures the
 * pipeline turns into a stored reason ({@link PermanentFailure}, {@link OrderRejected}, {@link TransientFailure}) with
 * a message; never another exception, never a hang (a per-input {@link Timeout}, which Jazzer also takes as its
 * per-input time limit when fuzzing).
 * <p>
 * An input picks its adapter with a first line naming it ({@code doordash\n{...}}); without one, its first byte picks
 * an adapter, so the fuzzer reaches them all and adapters added later are fuzzed without a change here. The system
 * property {@code orderhub.fuzz.adapter} pins one adapter for a long run. The adapters are the ones in adapters/ that
 * take events in, with the sandbox configuration and their stubs served locally (as AdapterSamplesTest has them).
 * <p>
 * Thin webhooks (the order itself is fetched from the vendor): {@link #fetchedOrder} feeds the fuzzed bytes as the
 * vendor's answer. Each adapter's own golden samples show which events fetch (an input sample whose translation
 * sends a GET to the adapter's sandbox); that event is translated while every GET to the sandbox answers 200 with the
 * fuzzed bytes.
 */
class TranslatorFuzzTest {

    static final Instant AT = Instant.parse("2026-01-01T12:00:00Z");
    private static final String OWN_CHANNEL = OwnChannelTranslator.SOURCE;

    private static AdapterRegistry registry;
    private static OwnChannelTranslator ownChannel;
    /** Adapter id to adapter, sorted: the first-byte choice stays stable while the set of adapters does. */
    private static final Map<String, Adapter> TRANSLATING = new LinkedHashMap<>();
    /** Adapter id to the golden input sample that makes it fetch the order from the vendor. */
    private static final Map<String, String> FETCHING = new LinkedHashMap<>();

    /**
     * Loads the adapters on the first input, not in a {@code @BeforeAll}: when fuzzing, Jazzer's agent arrives with
     * the first input, and only classes loaded after it are instrumented for coverage.
     */
    private static synchronized void load() throws Exception {
        if (registry != null) {
            return;
        }
        registry = OfflineAdapters.registry(Clock.fixed(AT, ZoneOffset.UTC));
        ownChannel = new OwnChannelTranslator(OfflineAdapters.JSON, new MenuCatalog(new HubProperties(null,
                Path.of("config/menus"), null, null, null, null, null, null, null)));
        registry.all().stream().filter(Adapter::takesEventsIn).sorted(java.util.Comparator.comparing(Adapter::id))
                .forEach(a -> TRANSLATING.put(a.id(), a));
        try (var sandboxOnly = FuzzTarget.loopbackOnly()) {
            findFetchingEvents();
        }
        assertThat(TRANSLATING).as("adapters that take events in").isNotEmpty();
        assertThat(FETCHING).as("adapters whose golden samples fetch the order (thin webhooks)").isNotEmpty();
        System.out.println("Fuzzing the translators of " + TRANSLATING.keySet() + "; fetched orders of "
                + FETCHING.keySet());
    }

    /** Each adapter's first golden input whose translation fetches from its sandbox: a thin webhook. */
    private static void findFetchingEvents() throws Exception {
        for (Adapter adapter : TRANSLATING.values()) {
            WireMockServer sandbox = registry.sandbox(adapter.id()).orElse(null);
            if (sandbox == null) {
                continue;
            }
            for (Path sample : inputSamples(adapter.id())) {
                sandbox.resetRequests();
                String payload = Files.readString(sample);
                try {
                    adapter.vendor().translate(payload, context(), adapter.context());
                } catch (RuntimeException e) {
                    continue;
                }
                boolean fetched = sandbox.getAllServeEvents().stream()
                        .anyMatch(e -> e.getRequest().getMethod().getName().equals("GET"));
                if (fetched) {
                    FETCHING.put(adapter.id(), payload);
                    break;
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
            registry = null;
        }
        TRANSLATING.clear();
        FETCHING.clear();
    }

    /** A vendor webhook body, as the vendor would post it, through the adapter's translator. */
    @FuzzTest(maxDuration = "2m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void vendorPayload(byte[] input) throws Exception {
        load();
        FuzzTarget target = FuzzTarget.of(input, List.copyOf(TRANSLATING.keySet()));
        try (var sandboxOnly = FuzzTarget.loopbackOnly()) {
            assertCleanOutcome(TRANSLATING.get(target.id()), target.body());
        }
    }

    /** The order a thin webhook fetches: the vendor answers the fuzzed bytes. */
    @FuzzTest(maxDuration = "2m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void fetchedOrder(byte[] input) throws Exception {
        load();
        FuzzTarget target = FuzzTarget.of(input, List.copyOf(FETCHING.keySet()));
        Adapter adapter = TRANSLATING.get(target.id());
        WireMockServer sandbox = registry.sandbox(adapter.id()).orElseThrow();
        StubMapping answer = sandbox.stubFor(get(anyUrl()).atPriority(1).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(target.bytes())));
        try (var sandboxOnly = FuzzTarget.loopbackOnly()) {
            sandbox.resetRequests();
            assertCleanOutcome(adapter, FETCHING.get(adapter.id()));
            assertThat(sandbox.countRequestsMatching(any(anyUrl()).build().getRequest()).getCount())
                    .as("the event fetched its order from the stub answering the fuzzed bytes").isPositive();
        } finally {
            sandbox.removeStub(answer);
        }
    }

    /** An own-channel order body (what POST /api/v1/orders stored) through the own-channel translator. */
    @FuzzTest(maxDuration = "2m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void ownChannelPayload(byte[] input) throws Exception {
        load();
        String payload = new String(input, StandardCharsets.UTF_8);
        var context = new OrderTranslator.IntakeContext(UUID.randomUUID(), OWN_CHANNEL, "fuzz-client", "fuzz", AT);
        try {
            CanonicalOrder order = ownChannel.translate(payload, context);
            assertThat(order).isNotNull();
        } catch (PermanentFailure | OrderRejected | TransientFailure expected) {
            assertThat(expected.getMessage()).as("the reason").isNotBlank();
        }
    }

    private static void assertCleanOutcome(Adapter adapter, String payload) {
        try {
            Inbound result = adapter.vendor().translate(payload, context(), adapter.context());
            assertThat(result).as(adapter.id() + " translated to nothing").isNotNull();
        } catch (PermanentFailure | OrderRejected | TransientFailure expected) {
            assertThat(expected.getMessage()).as(adapter.id() + ": the reason").isNotBlank();
        }
    }

    private static VendorAdapter.TranslationContext context() {
        return new VendorAdapter.TranslationContext(UUID.randomUUID(), "fuzz", AT);
    }

    private static List<Path> inputSamples(String id) throws Exception {
        try (Stream<Path> s = Files.list(Path.of("adapters", id, "samples"))) {
            return s.filter(p -> p.toString().endsWith(".input.json")).sorted().toList();
        }
    }
}
