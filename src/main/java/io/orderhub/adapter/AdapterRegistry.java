package io.orderhub.adapter;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.orderhub.menu.MenuCatalog;
import io.orderhub.signature.SignatureSchemes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;

/**
 * Finds the adapters at start: every {@code adapters/<id>/adapter.yaml}, unless its {@code enabled} (or the
 * setting {@code orderhub.adapters.<id>.enabled}) is false. With {@code orderhub.sandbox.enabled}, each enabled
 * adapter's {@code wiremock/} stubs are served on a local port and the adapter's URLs point there, so the hub runs
 * against vendor sandboxes without any vendor account; {@code orderhub.adapters.<id>.sandbox=false} leaves one
 * adapter out (no local stub, its configured URLs as they are).
 */
public class AdapterRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdapterRegistry.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Map<String, Adapter> adapters = new LinkedHashMap<>();
    private final Map<String, WireMockServer> sandboxes = new LinkedHashMap<>();

    /** Without a database: order references kept in memory (golden-sample runs, the scaffold check). */
    public AdapterRegistry(Path adaptersDir, Environment environment, ObjectMapper json, MenuCatalog menus,
                           Clock clock, SignatureSchemes schemes, boolean sandbox,
                           VendorResilience.Factory resilience) {
        this(adaptersDir, environment, json, menus, clock, schemes, sandbox, resilience, VendorOrderRefs.inMemory());
    }

    public AdapterRegistry(Path adaptersDir, Environment environment, ObjectMapper json, MenuCatalog menus,
                           Clock clock, SignatureSchemes schemes, boolean sandbox,
                           VendorResilience.Factory resilience, VendorOrderRefs refs) {
        for (Path folder : folders(adaptersDir)) {
            AdapterDescriptor d = read(folder.resolve("adapter.yaml"));
            if (!folder.getFileName().toString().equals(d.id())) {
                throw new IllegalStateException(folder + ": descriptor id '" + d.id() + "' must be the folder name");
            }
            boolean enabled = environment.getProperty("orderhub.adapters." + d.id() + ".enabled", Boolean.class,
                    d.enabled() == null || d.enabled());
            if (!enabled) {
                log.info("Adapter {} is switched off", d.id());
                continue;
            }
            String origin = null;
            // per adapter: orderhub.adapters.<id>.sandbox=false keeps this adapter out of the sandbox (no stub in
            // this JVM, its configured URLs used as they are), e.g. a POS stub that must outlive the hub (drills)
            boolean ownSandbox = sandbox && environment.getProperty("orderhub.adapters." + d.id() + ".sandbox",
                    Boolean.class, true);
            if (sandbox && !ownSandbox) {
                log.info("Adapter {} is out of the sandbox (orderhub.adapters.{}.sandbox=false): its configured URLs "
                        + "are used", d.id(), d.id());
            }
            if (ownSandbox && Files.isDirectory(folder.resolve("wiremock"))) {
                int journal = environment.getProperty("orderhub.sandbox.request-journal-entries", Integer.class,
                        1000);
                WireMockConfiguration options = WireMockConfiguration.options().bindAddress("127.0.0.1")
                        .dynamicPort().usingFilesUnderDirectory(folder.resolve("wiremock").toString())
                        .jettyAcceptors(1).containerThreads(12);
                WireMockServer server = new WireMockServer(journal > 0 ? options.maxRequestJournalEntries(journal)
                        : options.disableRequestJournal());
                server.start();
                sandboxes.put(d.id(), server);
                origin = "http://127.0.0.1:" + server.port();
                log.info("Adapter {} runs against its sandbox at {}", d.id(), origin);
            }
            VendorAdapter vendor = instantiate(d);
            AdapterContext context = new AdapterContext(d, environment, json, menus, clock, origin,
                    resilience, refs);
            var signature = d.signature() == null ? null
                    : schemes.create(d.signature().scheme(), d.signature().parameters());
            Adapter adapter = new Adapter(d, vendor, context, signature);
            context.api().resilience().checkHealthWith(() -> vendor.healthCall(context)
                    .map(check -> context.api().answers(check)).orElse(false));
            if (signature != null && adapter.secret().isEmpty()) {
                log.warn("Adapter {} has no signing-secret (orderhub.adapters.{}.signing-secret): its webhooks are "
                        + "refused until one is configured", d.id(), d.id());
            }
            adapters.put(d.id(), adapter);
        }
        log.info("Adapters enabled: {}", adapters.keySet());
    }

    static List<Path> folders(Path adaptersDir) {
        if (!Files.isDirectory(adaptersDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(adaptersDir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("adapter.yaml"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static AdapterDescriptor read(Path descriptor) {
        try {
            AdapterDescriptor d = YAML.readValue(descriptor.toFile(), AdapterDescriptor.class);
            if (d.id() == null || !d.id().matches("[a-z][a-z0-9]*") || d.className() == null || d.kind() == null) {
                throw new IllegalStateException(descriptor + ": id (lowercase letters and digits, the folder name), "
                        + "kind and class are required");
            }
            return d;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + descriptor + ": " + e.getMessage(), e);
        }
    }

    private static VendorAdapter instantiate(AdapterDescriptor d) {
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                    ? Thread.currentThread().getContextClassLoader() : AdapterRegistry.class.getClassLoader();
            Class<?> type = Class.forName(d.className(), true, loader);
            if (!VendorAdapter.class.isAssignableFrom(type)) {
                throw new IllegalStateException(d.className() + " does not implement VendorAdapter");
            }
            return (VendorAdapter) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("adapter " + d.id() + ": cannot create " + d.className() + ": " + e, e);
        }
    }

    public Optional<Adapter> find(String id) {
        return Optional.ofNullable(adapters.get(id));
    }

    public Collection<Adapter> all() {
        return adapters.values();
    }

    /** Whether an enabled POS adapter serves this location (its orders are to be put into that POS). */
    public boolean hasPos(String location) {
        return adapters.values().stream().anyMatch(a -> a.descriptor().kind() == AdapterDescriptor.Kind.POS
                && a.context().storeOf(location).isPresent());
    }

    /** The local stub server standing in for this vendor (sandbox runs and tests). */
    public Optional<WireMockServer> sandbox(String id) {
        return Optional.ofNullable(sandboxes.get(id));
    }

    public List<String> ids() {
        return new ArrayList<>(adapters.keySet());
    }

    @Override
    public void close() {
        sandboxes.values().forEach(WireMockServer::stop);
    }
}
