package io.orderhub.demo;

import io.orderhub.HubProperties;
import io.orderhub.adapter.Adapter;
import io.orderhub.adapter.AdapterRegistry;
import io.orderhub.signature.WebhookSigner;
import java.util.stream.Stream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * A little demo traffic for the newcomer's run: the sample orders in docs/examples/ are posted through the real
 * API (HTTP, demo key, Idempotency-Key), so the first GET already shows orders, one of them rejected with its reason,
 * and one that Square refuses (a phone number it cannot read): a POS dead letter for the console, to fix and replay.
 * Each sample carries a fixed idempotency key, so restarting the demo does not add them again. Then every adapter
 * running against its sandbox gets its golden samples as signed webhooks, as the vendor would send them.
 */
@Component
public class DemoTraffic {

    private static final Logger log = LoggerFactory.getLogger(DemoTraffic.class);

    private final HubProperties hub;
    private final Environment env;
    private final AdapterRegistry adapters;

    public DemoTraffic(HubProperties hub, Environment env, AdapterRegistry adapters) {
        this.hub = hub;
        this.env = env;
        this.adapters = adapters;
    }

    /** Called by {@link DemoSetup} once the demo client exists. */
    public void post() {
        if (hub.demo() == null || !hub.demo().enabled()) {
            return;
        }
        Path examples = Path.of(env.getProperty("orderhub.home", ".")).resolve("docs/examples");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String port = env.getProperty("local.server.port", "8080");
        for (String sample : new String[] {"order.json", "order-brooklyn-delivery.json", "order-rejected.json",
                "order-pos-refused.json"}) {
            Path file = examples.resolve(sample);
            if (!Files.isReadable(file)) {
                continue;
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/api/v1/orders"))
                        .header("Authorization", "Bearer " + hub.demo().apiKey())
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", "demo-" + UUID.nameUUIDFromBytes(sample.getBytes()))
                        .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
                log.info("Demo order {} -> HTTP {} {}", sample, r.statusCode(), r.body());
            } catch (IOException e) {
                log.warn("Demo order {} not posted: {}", sample, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        for (Adapter adapter : adapters.all()) {
            if (adapters.sandbox(adapter.id()).isPresent()) {
                postWebhooks(adapter, http, port);
            }
        }
    }

    /** A sample whose golden translation is a canonical order (it has a schema version). */
    private static boolean isOrder(Path input) {
        try {
            return Files.readString(Path.of(input.toString().replace(".input.json", ".canonical.json")))
                    .contains("\"schemaVersion\"");
        } catch (IOException e) {
            return false;
        }
    }

    /** A sample whose golden translation is a status update of an existing order. */
    private static boolean isUpdate(Path input) {
        try {
            return Files.readString(Path.of(input.toString().replace(".input.json", ".canonical.json")))
                    .contains("\"update\"");
        } catch (IOException e) {
            return false;
        }
    }

    private void postWebhooks(Adapter adapter, HttpClient http, String port) {
        Path samples = Path.of(env.getProperty("orderhub.home", ".")).resolve("adapters").resolve(adapter.id())
                .resolve("samples");
        if (!Files.isDirectory(samples) || adapter.secret().isEmpty() || adapter.descriptor().signature() == null) {
            return;
        }
        try (Stream<Path> files = Files.list(samples)) {
            // new orders first, then what happens to them (cancellations, other events)
            // a POS's updates are about orders the hub put into it, which a fresh demo does not have
            boolean pos = adapter.descriptor().kind() == io.orderhub.adapter.AdapterDescriptor.Kind.POS;
            List<Path> inputs = files.filter(p -> p.toString().endsWith(".input.json"))
                    .filter(p -> !pos || !isUpdate(p)).sorted(
                    java.util.Comparator.comparing((Path p) -> !isOrder(p)).thenComparing(Path::toString)).toList();
            for (Path file : inputs) {
                String body = Files.readString(file);
                var signature = adapter.descriptor().signature();
                HttpRequest.Builder request = HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/webhooks/" + adapter.id()))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
                WebhookSigner.sign(signature.scheme(), signature.parameters(), adapter.secret().get().value(), body,
                        adapter.context().setting("notification-url").orElse(null)).forEach(request::header);
                HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                log.info("Demo {} webhook {} -> HTTP {}", adapter.id(), file.getFileName(), r.statusCode());
            }
        } catch (IOException e) {
            log.warn("Demo webhooks of {} not posted: {}", adapter.id(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
