package io.orderhub.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.support.HubTestSupport;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The console's REST API and its guards, as scripts and the page use them: sign-in, roles enforced on the server,
 * TOTP for operators, CSRF on session requests, masked payloads, replay deduplicated, discard and audit.
 */
class ConsoleAccessTest extends HubTestSupport {

    @Test
    void withoutSignInNothingIsReadable() throws Exception {
        Reply r = get("/api/v1/admin/dead-letters", null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.contentType()).contains("application/problem+json");
        Reply page = send(HttpRequest.newBuilder(uri("/console/")).GET().build());
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.raw().headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l)
                .endsWith("/console/login.html"));
        assertThat(send(HttpRequest.newBuilder(uri("/actuator/hawtio/")).GET().build()).status()).isIn(302, 401);
    }

    @Test
    void rolesAreEnforcedOnTheServer() throws Exception {
        UUID[] refused = orderRefusedByPos("ring the bell");
        String replay = "/api/v1/admin/dead-letters/" + refused[1] + "/replay";
        assertThat(asViewer("GET", "/api/v1/admin/dead-letters?stage=pos", null).status()).isEqualTo(200);
        Reply viewerReplay = asViewer("POST", replay, null);
        assertThat(viewerReplay.status()).isEqualTo(403);
        assertThat(viewerReplay.json().path("detail").asText()).contains("role");
        // an operator without the second factor is not signed in at all
        assertThat(console("POST", replay, null, "ops", "test-operator-pass", null).status()).isEqualTo(401);
        assertThat(console("GET", "/api/v1/admin/me", null, "ops", "wrong-password", OPS_TOTP).status())
                .isEqualTo(401);
        // Hawtio is for admins
        assertThat(console("GET", "/actuator/hawtio/", null, "viewer", "test-viewer-pass", null).status())
                .isEqualTo(403);
        assertThat(console("GET", "/actuator/hawtio/", null, "admin", "test-admin-pass", ADMIN_TOTP).status())
                .isIn(200, 302);
        Reply jolokia = console("GET", "/actuator/jolokia/version", null, "admin", "test-admin-pass", ADMIN_TOTP);
        assertThat(jolokia.status()).as(jolokia.body() + jolokia.raw().headers().map()).isEqualTo(200);
        // the entry is still open: nothing the viewer did changed it
        assertThat(jdbc.queryForObject("select state from dead_letter where id = ?", String.class, refused[1]))
                .isEqualTo("OPEN");
    }

    @Test
    void aDeadLetterShowsItsReasonMaskedPayloadAndIsReplayedOnceThenAudited() throws Exception {
        UUID[] refused = orderRefusedByPos("ring the bell");
        Reply list = asOps("GET", "/api/v1/admin/dead-letters?stage=pos&source=own-channel&errorClass=Permanent&size=200",
                null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().path("items").findValuesAsText("id")).contains(refused[1].toString());
        Reply detail = asOps("GET", "/api/v1/admin/dead-letters/" + refused[1], null);
        assertThat(detail.json().path("reason").asText()).contains("400").contains("INVALID_PHONE_NUMBER");
        assertThat(detail.json().path("attempts").asInt()).isEqualTo(1);
        assertThat(detail.json().path("queue").asText()).isEqualTo("orderhub.stage.pos");
        assertThat(detail.json().path("payload").asText()).contains("ring the bell")
                .doesNotContain("pi_demo").contains(SecretMask.MASK);

        // vendor health: Square (the POS of soho) carries the POS stage's open dead letter at soho
        long sohoBefore = squareDeadLettersAt("soho");
        assertThat(sohoBefore).isGreaterThanOrEqualTo(1);

        // an invalid edit is refused with the schema's reasons; nothing is sent
        String payload = detail.json().path("payload").asText();
        Reply invalid = asOps("POST", "/api/v1/admin/dead-letters/" + refused[1] + "/replay",
                json.writeValueAsString(Map.of("payload", payload.replace("\"currency\" : \"GBP\"",
                        "\"currency\" : \"pounds\""))));
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.json().path("errors").toString()).contains("currency");

        // the fixed payload is replayed at the POS stage: Square gets the order once with the fixed phone
        String fixed = payload.replace("ring the bell", "+44 20 7946 0123");
        Reply ok = asOps("POST", "/api/v1/admin/dead-letters/" + refused[1] + "/replay",
                json.writeValueAsString(Map.of("payload", fixed)));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from stage_delivery where stage = 'pos' and order_id = ?", Integer.class,
                refused[0])).isEqualTo(1));
        assertThat(squareCreates(refused[0], "+44 20 7946 0123")).isEqualTo(1);
        // the stored payment token came back from the mask: the replayed event is the original one, fixed
        assertThat(jdbc.queryForObject("select payload from dead_letter where id = ?", String.class, refused[1]))
                .contains("pi_demo").contains("+44 20 7946 0123");

        assertThat(squareDeadLettersAt("soho")).isEqualTo(sohoBefore - 1);

        // a second replay is refused: it was replayed already, nothing is doubled
        assertThat(asOps("POST", "/api/v1/admin/dead-letters/" + refused[1] + "/replay", null).status())
                .isEqualTo(409);
        assertThat(squareCreates(refused[0], null)).isEqualTo(2); // the refused one, then the fixed one

        Reply audit = asViewer("GET", "/api/v1/admin/audit?actor=ops&action=dead-letter.edit", null);
        JsonNode entry = audit.json().path("items").get(0);
        assertThat(entry.path("target").asText()).isEqualTo("dead-letter:" + refused[1]);
        assertThat(entry.path("before").asText()).contains("ring the bell");
        assertThat(entry.path("after").asText()).contains("+44 20 7946 0123");

        Reply timeline = asViewer("GET", "/api/v1/admin/orders/" + refused[0] + "/timeline", null);
        assertThat(timeline.json().path("events").findValuesAsText("kind")).contains("intake", "vendor-call-failed",
                "dead-letter", "operator", "vendor-call");
        // each call to Square is there with what was sent and what came back
        List<String> calls = new java.util.ArrayList<>();
        for (JsonNode e : timeline.json().path("events")) {
            if (e.path("kind").asText().startsWith("vendor-call")) {
                calls.add(e.path("kind").asText() + " " + e.path("detail").asText());
            }
        }
        assertThat(calls).anySatisfy(c -> assertThat(c).startsWith("vendor-call-failed")
                .contains("request: ").contains("ring the bell").contains("INVALID_PHONE_NUMBER"));
        assertThat(calls).anySatisfy(c -> assertThat(c).startsWith("vendor-call ")
                .contains("\"phone_number\":\"+44 20 7946 0123\"").contains("answered 200"));
    }

    /** Open dead letters the health view shows for Square at a location (0 when the location is not listed). */
    private long squareDeadLettersAt(String location) throws Exception {
        Reply health = asViewer("GET", "/api/v1/admin/health", null);
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        for (JsonNode v : health.json().path("vendors")) {
            if ("square".equals(v.path("adapter").asText())) {
                assertThat(v.path("kind").asText()).isEqualTo("pos");
                for (JsonNode l : v.path("locations")) {
                    if (location.equals(l.path("locationId").asText())) {
                        return l.path("deadLetters").asLong();
                    }
                }
                return 0;
            }
        }
        throw new AssertionError("no square in " + health.body());
    }

    @Test
    void discardNeedsAReasonAndSessionRequestsNeedTheCsrfToken() throws Exception {
        UUID[] refused = orderRefusedByPos("call me maybe");
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        browser.send(HttpRequest.newBuilder(uri("/api/v1/admin/csrf")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        String token = csrf(browser);
        String form = "username=ops&password=test-operator-pass&code=" + freshOpsCode() + "&_csrf="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/console/"));
        String discard = "/api/v1/admin/dead-letters/" + refused[1] + "/discard";
        HttpResponse<String> noToken = browser.send(HttpRequest.newBuilder(uri(discard))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"test order\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(403);
        String fresh = csrf(browser);
        HttpResponse<String> noReason = browser.send(HttpRequest.newBuilder(uri(discard))
                .header("Content-Type", "application/json").header("X-XSRF-TOKEN", fresh)
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\" \"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noReason.statusCode()).isEqualTo(422);
        HttpResponse<String> done = browser.send(HttpRequest.newBuilder(uri(discard))
                .header("Content-Type", "application/json").header("X-XSRF-TOKEN", fresh)
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"customer called, order re-keyed\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select state from dead_letter where id = ?", String.class, refused[1]))
                .isEqualTo("DISCARDED");
        List<Map<String, Object>> audit = jdbc.queryForList("select actor, action, detail from audit_log "
                + "where target = ?", "dead-letter:" + refused[1]);
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0)).containsEntry("ACTOR", "ops").containsEntry("ACTION", "dead-letter.discard")
                .containsEntry("DETAIL", "customer called, order re-keyed");
        // the same TOTP code cannot open a second session
        String again = "username=ops&password=test-operator-pass&code=" + form.replaceAll(".*code=(\\d+).*", "$1")
                + "&_csrf=" + URLEncoder.encode(fresh, StandardCharsets.UTF_8);
        HttpResponse<String> replayedCode = browser.send(HttpRequest.newBuilder(uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(again)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(replayedCode.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l)
                .contains("login.html?error"));
    }

    private String csrf(HttpClient browser) throws Exception {
        java.net.CookieManager jar = (java.net.CookieManager) browser.cookieHandler().orElseThrow();
        return jar.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
                .map(java.net.HttpCookie::getValue).reduce((a, b) -> b).orElseThrow();
    }

    private int squareCreates(UUID order, String phone) {
        return (int) squareSandbox().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().startsWith("/v2/orders"))
                .filter(e -> e.getRequest().getBodyAsString().contains(order.toString()))
                .filter(e -> phone == null || (e.getRequest().getBodyAsString().contains(phone)
                        && e.getResponse().getStatus() == 200))
                .count();
    }
}
