package io.orderhub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * The vendor APIs one benchmark order touches (Square CreateOrder, DoorDash order confirmation, Uber Eats' token, order
 * and acceptance, Twilio Messages),
 * answered by a small JDK HTTP server in the benchmark's JVM instead of the adapters' WireMock sandboxes inside the
 * hub. Why: a profile of the hub under load put 12-14 % of its CPU in WireMock's request matching and response
 * templating (about 2 ms per call, three calls per order), work a real vendor does on its own machines. The answers
 * have the shape the adapters read (the same fields as adapters/&lt;id&gt;/wiremock); requests are not validated
 * here, the adapters' own tests do that against WireMock. {@code -Dbench.stubs=wiremock} keeps the sandboxes.
 */
final class LightVendorStubs implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final ObjectMapper json = new ObjectMapper();
    private final LongAdder calls = new LongAdder();
    private final LongAdder notStubbed = new LongAdder();

    static {
        // the JDK server writes an answer's headers and body separately: without TCP_NODELAY each keep-alive request
        // waits for the client's delayed ACK (about 40 ms on Linux)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    LightVendorStubs() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(threads);
        server.createContext("/v2/orders", this::squareCreateOrder);
        server.createContext("/2010-04-01/Accounts/", this::twilioMessage);
        server.createContext("/oauth/v2/token", e -> {
            e.getRequestBody().readAllBytes();
            answer(e, 200, "{\"access_token\":\"bench-ubereats-access-token\",\"token_type\":\"Bearer\","
                    + "\"expires_in\":2592000,\"scope\":\"eats.order\"}");
        });
        server.createContext("/v2/eats/order/", e -> {
            // the order a thin Uber Eats webhook names: the adapter's UK pickup sample under the asked id
            String id = e.getRequestURI().getPath().substring("/v2/eats/order/".length());
            answer(e, 200, UBER_ORDER.replace(LoadMix.UBER_SAMPLE_ORDER_ID, id));
        });
        server.createContext("/", e -> {
            e.getRequestBody().readAllBytes();
            String path = e.getRequestURI().getPath();
            if ("PATCH".equals(e.getRequestMethod()) && path.contains("/orders/")) {
                answer(e, 202, null); // DoorDash order confirmation
            } else if ("POST".equals(e.getRequestMethod()) && path.endsWith("/accept_pos_order")) {
                answer(e, 204, null); // Uber Eats acceptance
            } else {
                notStubbed.increment();
                answer(e, 404, "{\"error\":\"not stubbed: " + e.getRequestURI() + "\"}");
            }
        });
        server.start();
    }

    /** Uber Eats' answer to GET /v2/eats/order/{id} for the sample (adapters/ubereats/wiremock). */
    private static final String UBER_ORDER = read("adapters/ubereats/wiremock/__files/order-"
            + LoadMix.UBER_SAMPLE_ORDER_ID + ".json");

    private static String read(String file) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static int uberOrderBytes() {
        return UBER_ORDER.length();
    }

    static boolean wanted() {
        return !"wiremock".equals(System.getProperty("bench.stubs", "light"));
    }

    /**
     * Hub arguments that point the four adapters here, with their in-hub sandboxes off and no rate limit on them:
     * the hub's default of 100 calls a second per vendor (a policy that protects a real vendor's API) would cap a
     * benchmark at 100 orders a second, and a profile at 88 orders/s showed the stage consumers waiting a quarter of
     * their time for its permits. {@code -Dbench.vendor-rate-limit} sets another limit.
     */
    List<String> hubArgs() {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        String limit = System.getProperty("bench.vendor-rate-limit", "100000");
        List<String> args = new java.util.ArrayList<>();
        for (String vendor : List.of("square", "doordash", "ubereats", "twilio")) {
            args.addAll(List.of("--orderhub.adapters." + vendor + ".sandbox=false",
                    "--orderhub.adapters." + vendor + ".base-url=" + base,
                    "--orderhub.resilience.vendors." + vendor + ".rate-limit=" + limit));
        }
        args.add("--orderhub.adapters.ubereats.token-url=" + base + "/oauth/v2/token");
        return args;
    }

    long calls() {
        return calls.sum();
    }

    /** Calls this stub had no answer for (a benchmark whose orders got 404s measured the wrong thing). */
    long notStubbed() {
        return notStubbed.sum();
    }

    private void squareCreateOrder(HttpExchange exchange) throws IOException {
        JsonNode order = json.readTree(exchange.getRequestBody().readAllBytes()).path("order");
        ObjectNode answer = json.createObjectNode();
        ObjectNode created = answer.putObject("order");
        created.put("id", UUID.randomUUID().toString().replace("-", "").substring(0, 29).toUpperCase());
        created.put("location_id", order.path("location_id").asText());
        created.put("reference_id", order.path("reference_id").asText());
        created.putObject("source").put("name", order.path("source").path("name").asText());
        created.put("state", "OPEN");
        created.put("version", 1);
        created.put("created_at", Instant.now().toString());
        created.put("updated_at", Instant.now().toString());
        answer(exchange, 200, json.writeValueAsString(answer));
    }

    private void twilioMessage(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        answer(exchange, 201, "{\"sid\":\"SM" + UUID.randomUUID().toString().replace("-", "")
                + "\",\"status\":\"queued\",\"direction\":\"outbound-api\",\"num_segments\":\"1\","
                + "\"api_version\":\"2010-04-01\",\"error_code\":null,\"error_message\":null}");
    }

    private void answer(HttpExchange exchange, int status, String body) throws IOException {
        calls.increment();
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
