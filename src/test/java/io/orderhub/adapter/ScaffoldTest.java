package io.orderhub.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.HubProperties;
import io.orderhub.menu.MenuCatalog;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.order.OrderEvent;
import io.orderhub.signature.SignatureScheme;
import io.orderhub.signature.SignatureSchemes;
import io.orderhub.signature.WebhookSigner;
import io.orderhub.support.OfflineAdapters;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The documented scaffold works as documented: {@code adapters/new-adapter.sh} makes a folder whose Java compiles,
 * which the registry loads, whose golden samples match, whose webhook signature verifies and whose status call is
 * answered by its own stub. Written to a folder under target/, never into adapters/.
 */
class ScaffoldTest {

    @Test
    void aScaffoldedAdapterCompilesLoadsAndPassesItsOwnSamples() throws Exception {
        Path root = Path.of("target", "scaffold-test", UUID.randomUUID().toString()).toAbsolutePath();
        Path adapters = root.resolve("adapters");
        Files.createDirectories(adapters);
        // the script writes to ORDERHUB_ADAPTERS_DIR when set
        ProcessBuilder pb = new ProcessBuilder("bash", "adapters/new-adapter.sh", "scaffolded", "Scaffolded Vendor",
                "delivery").redirectErrorStream(true);
        pb.environment().put("ORDERHUB_ADAPTERS_DIR", adapters.toString());
        Process run = pb.start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(output).isZero();
        Path folder = adapters.resolve("scaffolded");
        assertThat(folder.resolve("ScaffoldedAdapter.java")).exists();
        assertThat(folder.resolve("adapter.yaml")).exists();

        Path classes = root.resolve("classes");
        Files.createDirectories(classes);
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                "-classpath", System.getProperty("java.class.path"), folder.resolve("ScaffoldedAdapter.java").toString());
        assertThat(compiled).as("javac of the scaffolded adapter").isZero();

        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("scaffold", Map.of(
                "orderhub.adapters.scaffolded.signing-secret", "scaffold-test-secret",
                "orderhub.adapters.scaffolded.api-token", "scaffold-test-token",
                "orderhub.adapters.scaffolded.stores.example-store", "soho")));
        MenuCatalog menus = new MenuCatalog(new HubProperties(null, Path.of("config/menus"), null, null, null, null,
                null, null, null));
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, previous)) {
            Thread.currentThread().setContextClassLoader(loader);
            try (AdapterRegistry registry = new AdapterRegistry(adapters, env, OfflineAdapters.JSON, menus,
                    Clock.fixed(AdapterSamplesTest.AT, ZoneOffset.UTC), new SignatureSchemes(), true,
                    VendorResilience.Factory.standalone(env, Clock.systemUTC()))) {
                Adapter adapter = registry.find("scaffolded").orElseThrow();
                CanonicalOrder order = null;
                List<Path> inputs;
                try (Stream<Path> s = Files.list(folder.resolve("samples"))) {
                    inputs = s.filter(p -> p.toString().endsWith(".input.json")).sorted().toList();
                }
                assertThat(inputs).hasSizeGreaterThanOrEqualTo(4);
                for (Path input : inputs) {
                    String name = input.getFileName().toString().replace(".input.json", "");
                    Inbound inbound = adapter.vendor().translate(Files.readString(input),
                            new VendorAdapter.TranslationContext(UUID.nameUUIDFromBytes(name.getBytes()),
                                    "golden-" + name, AdapterSamplesTest.AT), adapter.context());
                    JsonNode actual = OfflineAdapters.JSON.readTree(OfflineAdapters.JSON.writeValueAsString(
                            AdapterSamplesTest.golden(inbound)));
                    assertThat(actual).as(name).isEqualTo(OfflineAdapters.JSON.readTree(
                            folder.resolve("samples").resolve(name + ".canonical.json").toFile()));
                    if (inbound instanceof Inbound.NewOrder n) {
                        order = n.order();
                    }
                }
                assertThat(order).as("a sample that is a new order").isNotNull();

                String body = Files.readString(inputs.get(0));
                var signature = adapter.descriptor().signature();
                Map<String, String> headers = WebhookSigner.sign(signature.scheme(), signature.parameters(),
                        "scaffold-test-secret", body, null);
                assertThat(adapter.signature().verify(new SignatureScheme.SignedRequest(
                        body.getBytes(StandardCharsets.UTF_8), headers::get, null, AdapterSamplesTest.AT),
                        adapter.secret().orElseThrow())).isEmpty();

                VendorCall accept = adapter.vendor().statusCall(OrderEvent.created(order), adapter.context())
                        .orElseThrow();
                assertThat(adapter.context().api().send(accept, "scaffold-test").status()).isEqualTo(204);
            }
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}
