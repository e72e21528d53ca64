package io.orderhub.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.orderhub.support.HubTestSupport;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The console's dead-letter list at 100,000 entries and the bulk replay rate. Not part of `mvn verify`: run with
 * {@code mvn -Pbench verify -Dit.test=DeadLetterConsoleBenchmark} (docs/benchmarks.md). The hub is the test suite's
 * (H2 on disk, embedded Artemis, Square sandbox); pass {@code -Dbench.dead-letters=N} and
 * {@code -Dbench.replay=N} to change the sizes.
 *
 * <ul>
 *   <li>list: 100,000 synthetic rows (6 sources, 8 locations, 4 stages, 4 error classes, 7 days, 90 % open,
 *       1.5 KiB payload each) inserted in SQL; then each console query 40 times through a signed-in viewer's
 *       session (as the page makes it): the answer's {@code serverMillis} (the controller's time: count and page
 *       queries) and the client's round trip, p50 / p99 / max;</li>
 *   <li>bulk replay: {@code bench.replay} brooklyn orders refused by a Square outage stub become POS dead letters;
 *       after the outage, one bulk replay job (the console's POST /replay-jobs) replays them: replays per second
 *       until the job is done, and until every order has reached the POS stage.</li>
 * </ul>
 */
class DeadLetterConsoleBenchmark extends HubTestSupport {

    private static final int ROWS = Integer.getInteger("bench.dead-letters", 100_000);
    private static final int REPLAY = Integer.getInteger("bench.replay", 1_000);
    private static final int RUNS = 40;
    private static final String[] SOURCES = {"ubereats", "doordash", "deliveroo", "opendelivery", "own-channel",
        "square"};
    private static final String[] STAGES = {"pos", "kds", "channel-status", "notifications"};
    private static final String[] ERRORS = {"io.orderhub.pipeline.PermanentFailure",
        "io.orderhub.pipeline.TransientFailure", "com.fasterxml.jackson.core.JsonParseException",
        "java.util.concurrent.TimeoutException"};

    @Test
    void deadLetterListAtOneHundredThousandAndBulkReplayRate() throws Exception {
        StringBuilder report = new StringBuilder();
        report.append("| date | ").append(LocalDate.now()).append(" |\n| machine | ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
                .append(", H2 on disk, the test suite's hub |\n");
        long t0 = System.nanoTime();
        insertRows(ROWS);
        report.append(String.format("| %,d dead_letter rows inserted | %.1f s |%n", ROWS,
                (System.nanoTime() - t0) / 1e9));

        HttpClient session = signInViewer();
        Instant now = Instant.now();
        // each run asks something slightly different (another page, location, stage, hour), so no answer comes from
        // the database's query cache
        Map<String, java.util.function.IntFunction<String>> queries = new java.util.LinkedHashMap<>();
        queries.put("all, newest first (pages 1-10)", i -> "page=" + (i % 10));
        queries.put("open at one stage", i -> "state=OPEN&stage=" + STAGES[i % STAGES.length]);
        queries.put("open, one vendor at one location", i -> "state=OPEN&source=" + SOURCES[i % SOURCES.length]
                + "&location=bench-" + (i % 8));
        queries.put("error class starts with 'timeout' / 'permanent'", i -> "errorClass="
                + (i % 2 == 0 ? "timeout" : "Permanent") + "&page=" + (i % 5));
        queries.put("one hour window", i -> "from=" + now.minus(Duration.ofHours(30 + i)) + "&to="
                + now.minus(Duration.ofHours(29 + i)));
        queries.put("all, deep page (offset 10,000-10,950)", i -> "page=" + (200 + i % 20));
        report.append("| query (50 per page) | matches (last run) | server p50 / p99 / max | round trip p50 / p99 |\n");
        for (Map.Entry<String, java.util.function.IntFunction<String>> q : queries.entrySet()) {
            for (int i = 0; i < 5; i++) {
                get(session, "/api/v1/admin/dead-letters?size=50&" + q.getValue().apply(RUNS + i));
            }
            double[] server = new double[RUNS];
            double[] trip = new double[RUNS];
            long total = 0;
            for (int i = 0; i < RUNS; i++) {
                String path = "/api/v1/admin/dead-letters?size=50&" + q.getValue().apply(i);
                long start = System.nanoTime();
                JsonNode page = get(session, path);
                trip[i] = (System.nanoTime() - start) / 1e6;
                server[i] = page.path("serverMillis").asDouble();
                total = page.path("total").asLong();
            }
            Arrays.sort(server);
            Arrays.sort(trip);
            report.append(String.format("| %s | %,d | %.0f / %.0f / %.0f ms | %.1f / %.1f ms |%n", q.getKey(), total,
                    pct(server, 50), pct(server, 99), server[RUNS - 1], pct(trip, 50), pct(trip, 99)));
        }

        report.append(bulkReplay());
        System.out.println(report);
        Path out = Path.of("target", "bench", "dead-letter-console.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
    }

    private String bulkReplay() throws Exception {
        StubMapping outage = squareSandbox().stubFor(com.github.tomakehurst.wiremock.client.WireMock
                .post(urlPathEqualTo("/v2/orders")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.order.fulfillments[0].pickup_details.recipient.display_name",
                        equalTo("Bench Outage")))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"errors\":[{\"category\":\"INVALID_REQUEST_ERROR\",\"code\":\"BAD_REQUEST\"}]}")));
        List<UUID> orders = new ArrayList<>();
        try {
            for (int i = 0; i < REPLAY; i++) {
                Reply r = postOrder("""
                        {"channel": "web", "locationId": "brooklyn", "externalId": "%s", "type": "pickup",
                         "currency": "USD", "lines": [{"itemId": "fries", "quantity": 1, "unitPrice": 499}],
                         "customer": {"name": "Bench Outage", "phone": "+1 718 555 0100"}}
                        """.formatted(UUID.randomUUID()), UUID.randomUUID().toString());
                assertThat(r.status()).as(r.body()).isEqualTo(202);
                orders.add(UUID.fromString(r.json().path("orderId").asText()));
            }
            await().atMost(Duration.ofMinutes(5)).until(() -> count("select count(*) from dead_letter where "
                    + "state = 'OPEN' and order_id in (" + in(orders) + ")") == REPLAY);
        } finally {
            squareSandbox().removeStub(outage);
        }
        long start = System.nanoTime();
        Reply job = asOps("POST", "/api/v1/admin/replay-jobs",
                "{\"filter\":{\"state\":\"OPEN\",\"stage\":\"pos\",\"location\":\"brooklyn\"}}");
        assertThat(job.status()).as(job.body()).isEqualTo(202);
        String jobId = job.json().path("id").asText();
        int total = job.json().path("total").asInt();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                "DONE".equals(asViewer("GET", "/api/v1/admin/replay-jobs/" + jobId, null).json().path("state")
                        .asText()));
        double jobSeconds = (System.nanoTime() - start) / 1e9;
        JsonNode done = asViewer("GET", "/api/v1/admin/replay-jobs/" + jobId, null).json();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                count("select count(*) from stage_delivery where stage = 'pos' and order_id in (" + in(orders)
                        + ")") == REPLAY);
        double deliveredSeconds = (System.nanoTime() - start) / 1e9;
        long created = squareSandbox().getAllServeEvents().stream()
                .filter(e -> e.getResponse().getStatus() == 200 && e.getRequest().getUrl().startsWith("/v2/orders")
                        && e.getRequest().getBodyAsString().contains("Bench Outage")).count();
        return String.format("| bulk replay job: %d dead letters (POS outage) | %d replayed, %d failed in %.1f s: "
                        + "**%.0f replays/s** |%n| ... until every order reached the POS stage | %.1f s: %.0f orders/s;"
                        + " Square orders created %d for %d orders |%n", total, done.path("done").asInt(),
                done.path("failed").asInt(), jobSeconds, total / jobSeconds, deliveredSeconds,
                REPLAY / deliveredSeconds, created, REPLAY);
    }

    private void insertRows(int rows) {
        Instant now = Instant.now();
        String payload = "{\"order\":{\"note\":\"" + "x".repeat(1500) + "\"}}";
        String sql = "insert into dead_letter (id, message_key, queue, stage, source, location_id, order_id, "
                + "event_type, error_class, error_name, reason, attempts, replays, first_failure_at, last_failure_at, "
                + "state, state_changed_at, state_changed_by, content_type, headers, payload) "
                + "values (?,?,?,?,?,?,?,?,?,?,?,?,0,?,?,?,?,?,?,?,?)";
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int done = 0; done < rows; done += 1000) {
            List<Object[]> batch = new ArrayList<>();
            for (int i = done; i < Math.min(rows, done + 1000); i++) {
                String stage = STAGES[r.nextInt(STAGES.length)];
                Timestamp at = Timestamp.from(now.minusSeconds(r.nextLong(7 * 24 * 3600)));
                UUID order = UUID.randomUUID();
                String error = ERRORS[r.nextInt(ERRORS.length)];
                batch.add(new Object[] {UUID.randomUUID(), "bench:" + stage + ":" + order,
                    "orderhub.stage." + stage, stage, SOURCES[r.nextInt(SOURCES.length)], "bench-" + r.nextInt(8),
                    order, "order.created", error, error.substring(error.lastIndexOf('.') + 1).toLowerCase(),
                    "bench failure " + i,
                    1 + r.nextInt(4), at, at, r.nextInt(10) == 0 ? "DISCARDED" : "OPEN", at, "hub",
                    "application/json", "{}", payload});
            }
            jdbc.batchUpdate(sql, batch);
        }
    }

    private HttpClient signInViewer() throws Exception {
        HttpClient c = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        c.send(HttpRequest.newBuilder(uri("/api/v1/admin/csrf")).GET().build(), HttpResponse.BodyHandlers.ofString());
        String token = ((CookieManager) c.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
                .filter(k -> k.getName().equals("XSRF-TOKEN")).map(HttpCookie::getValue).reduce((a, b) -> b)
                .orElseThrow();
        HttpResponse<String> login = c.send(HttpRequest.newBuilder(uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=viewer&password=test-viewer-pass&_csrf="
                        + URLEncoder.encode(token, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        return c;
    }

    private JsonNode get(HttpClient session, String path) throws Exception {
        HttpResponse<String> r = session.send(HttpRequest.newBuilder(uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static String in(List<UUID> ids) {
        return ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
    }
}
