package io.orderhub.bench.jmh;

import clover.CloverFetchedOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.HubProperties;
import io.orderhub.adapter.Adapter;
import io.orderhub.adapter.AdapterRegistry;
import io.orderhub.adapter.Inbound;
import io.orderhub.adapter.VendorAdapter;
import io.orderhub.intake.OwnChannelTranslator;
import io.orderhub.menu.MenuCatalog;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.pipeline.OrderTranslator;
import io.orderhub.support.OfflineAdapters;
import io.orderhub.support.Orders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import opendelivery.OpenDeliveryFetchedOrder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import square.SquareFetchedOrder;
import ubereats.UberEatsFetchedOrder;

/**
 * Translation cost per order, one benchmark per adapter that takes orders in, each on that adapter's golden
 * new-order sample (adapters/&lt;id&gt;/samples), with the registry as AdapterSamplesTest builds it (OfflineAdapters:
 * sandbox configuration, fixed clock, no Spring context).
 *
 * <p>DoorDash, Deliveroo and Toast carry the whole order: the benchmark is {@code translate} on the sample payload.
 * Uber Eats, Open Delivery, Square and Clover webhooks are thin (the adapter GETs the order from the vendor): the
 * benchmark is the parse and mapping of the fetched order body (the sandbox stub file the sample's GET answers
 * with), through a small {@code *FetchedOrder} class in the adapter's package under src/test/java/&lt;vendor&gt;
 * (the mappers are package-private), not the HTTP call. Own channel
 * is {@link OwnChannelTranslator} on the body the API benchmarks post ({@link Orders#soho}).
 *
 * <p>Before measuring, every benchmark's result is checked against the sample's golden canonical order, so what is
 * timed is the translation the golden tests pin.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TranslationJmh {

    static final Instant AT = Instant.parse("2026-01-01T12:00:00Z");

    private AdapterRegistry registry;
    private ObjectMapper json;

    private Case doordash;
    private Case deliveroo;
    private Case toast;
    private Case ubereats;
    private Case opendelivery;
    private Case square;
    private Case clover;

    private OwnChannelTranslator ownChannel;
    private String ownChannelBody;
    private OrderTranslator.IntakeContext ownChannelContext;

    /** One adapter's sample: the payload (or fetched order body) and the golden case's translation context. */
    record Case(Adapter adapter, String sample, String payload, VendorAdapter.TranslationContext context) {
    }

    @Setup
    public void setUp() throws Exception {
        json = OfflineAdapters.JSON;
        registry = OfflineAdapters.registry(Clock.fixed(AT, ZoneOffset.UTC));
        doordash = sample("doordash", "nested-meal-deal-soho", null);
        deliveroo = sample("deliveroo", "new-delivery-asap", null);
        toast = sample("toast", "walk-in-nested-modifiers", null);
        ubereats = sample("ubereats", "uk-pickup-nested-promo", "order-3f6b2a9e-1c4d-4e8f-a0b7-5d9c8e1f2a3b.json");
        opendelivery = sample("opendelivery", "created-delivery-nested", "order-delivery-nested.json");
        square = sample("square", "walk-in-soho", "order-Tb6mK2xQv9RnL4wHc8PdY3sJf7gZA.json");
        clover = sample("clover", "walk-in-to-go-batched", "order-3TQ8V1MZK6W2P.json");

        MenuCatalog menus = new MenuCatalog(new HubProperties(null, Path.of("config/menus"), null, null, null, null,
                null, null, null));
        ownChannel = new OwnChannelTranslator(json, menus);
        ownChannelBody = Orders.soho("web-1");
        ownChannelContext = new OrderTranslator.IntakeContext(UUID.nameUUIDFromBytes("own".getBytes()),
                OwnChannelTranslator.SOURCE, "bench-web", "bench-1", AT);

        check(doordash, ((Inbound.NewOrder) doordash()).order());
        check(deliveroo, ((Inbound.NewOrder) deliveroo()).order());
        check(toast, ((Inbound.NewOrder) toast()).order());
        check(ubereats, ubereats());
        check(opendelivery, opendelivery());
        check(square, square());
        check(clover, clover());
        if (ownChannel().lines().size() != 2) {
            throw new IllegalStateException("own-channel soho order should have 2 lines");
        }
    }

    @TearDown
    public void tearDown() {
        registry.close();
    }

    @Benchmark
    public Inbound doordash() {
        return translate(doordash);
    }

    @Benchmark
    public Inbound deliveroo() {
        return translate(deliveroo);
    }

    @Benchmark
    public Inbound toast() {
        return translate(toast);
    }

    @Benchmark
    public CanonicalOrder ubereats() throws IOException {
        // the webhook's meta.user_id is the store; the fetched order names its store too (that one wins)
        return UberEatsFetchedOrder.map(ubereats.payload(), "3f6b2a9e-1c4d-4e8f-a0b7-5d9c8e1f2a3b",
                "0b7a4c1e-2f3d-4e5a-9b6c-7d8e9f0a1b2c", false, ubereats.context(), ubereats.adapter().context());
    }

    @Benchmark
    public CanonicalOrder opendelivery() {
        return OpenDeliveryFetchedOrder.map(opendelivery.payload(), opendelivery.context(),
                opendelivery.adapter().context());
    }

    @Benchmark
    public CanonicalOrder square() {
        return SquareFetchedOrder.map(square.payload(), square.context(), square.adapter().context());
    }

    @Benchmark
    public CanonicalOrder clover() throws IOException {
        return CloverFetchedOrder.map(clover.payload(), "MQ5Z2KXN8PQR1", clover.context(),
                clover.adapter().context());
    }

    @Benchmark
    public CanonicalOrder ownChannel() {
        return ownChannel.translate(ownChannelBody, ownChannelContext);
    }

    private static Inbound translate(Case c) {
        return c.adapter().vendor().translate(c.payload(), c.context(), c.adapter().context());
    }

    /** The sample's payload, or for a thin vendor the stub body its GET answers with (wiremock/__files). */
    private Case sample(String id, String name, String fetchedFile) throws IOException {
        Adapter adapter = registry.find(id).orElseThrow(() -> new IllegalStateException("no adapter " + id));
        Path file = fetchedFile == null ? Path.of("adapters", id, "samples", name + ".input.json")
                : Path.of("adapters", id, "wiremock", "__files", fetchedFile);
        return new Case(adapter, name, Files.readString(file),
                new VendorAdapter.TranslationContext(UUID.nameUUIDFromBytes(name.getBytes()), "golden-" + name, AT));
    }

    private void check(Case c, CanonicalOrder order) throws IOException {
        JsonNode actual = json.readTree(json.writeValueAsString(order));
        JsonNode golden = json.readTree(Path.of("adapters", c.adapter().id(), "samples", c.sample()
                + ".canonical.json").toFile());
        if (!actual.equals(golden)) {
            throw new IllegalStateException(c.adapter().id() + " " + c.sample()
                    + ": the benchmarked translation differs from the golden canonical order");
        }
    }
}
