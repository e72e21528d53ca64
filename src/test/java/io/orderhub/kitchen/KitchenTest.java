package io.orderhub.kitchen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.orderhub.support.HubTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The kitchen through its API: a delivery order's tickets on the right stations at once, the first bump starts
 * the order, the last makes it ready and the channel hears "ready" once; a scheduled order's tickets wait for their
 * lead time; a cancel after preparation started clears the screens; viewers cannot bump.
 */
class KitchenTest extends HubTestSupport {

    @Test
    void aDoorDashOrderIsTicketedPerStationAndBumpingItMakesItReadyOnceForDoorDash() throws Exception {
        String vendorId = UUID.randomUUID().toString();
        UUID order = doorDashOrder(vendorId);

        // the tickets are there at once, one per station of the brooklyn menu: burger -> grill, fries -> fryer
        List<JsonNode> tickets = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            tickets.clear();
            kitchen("GET", "/api/v1/kds/orders/" + order + "/tickets").json().forEach(tickets::add);
            assertThat(tickets).extracting(t -> t.path("station").asText()).containsExactlyInAnyOrder("grill", "fryer");
        });
        JsonNode grill = tickets.stream().filter(t -> t.path("station").asText().equals("grill")).findFirst()
                .orElseThrow();
        JsonNode fryer = tickets.stream().filter(t -> t.path("station").asText().equals("fryer")).findFirst()
                .orElseThrow();
        // slow items first: the burger (9 min) starts now, the fries (4 min) five minutes later, both due together
        Instant burgerStart = Instant.parse(grill.path("items").get(0).path("startAt").asText());
        Instant friesStart = Instant.parse(fryer.path("items").get(0).path("startAt").asText());
        assertThat(Duration.between(burgerStart, friesStart)).isEqualTo(Duration.ofMinutes(5));
        assertThat(grill.path("dueAt").asText()).isEqualTo(fryer.path("dueAt").asText());
        assertThat(board("brooklyn", "grill")).contains(grill.path("id").asText());
        assertThat(board("brooklyn", "fryer")).doesNotContain(grill.path("id").asText());
        // the POS got it once, under the event's idempotency key
        await().atMost(Duration.ofSeconds(30)).until(() -> squareCreates(order) == 1);

        // a viewer sees the board but cannot bump
        assertThat(console("POST", "/api/v1/kds/tickets/" + grill.path("id").asText() + "/bump", null, "viewer",
                "test-viewer-pass", null).status()).isEqualTo(403);

        Reply first = kitchen("POST", "/api/v1/kds/tickets/" + grill.path("id").asText() + "/items/0/bump");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(order).equals("in_preparation"));
        assertThat(kitchen("POST", "/api/v1/kds/tickets/" + fryer.path("id").asText() + "/bump").status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(order).equals("ready"));
        assertThat(kitchen("POST", "/api/v1/kds/tickets/" + fryer.path("id").asText() + "/bump").status())
                .isEqualTo(409);
        assertThat(board("brooklyn", "grill")).doesNotContain(grill.path("id").asText());

        WireMockServer dd = adapterRegistry.sandbox("doordash").orElseThrow();
        String readyPath = "/orders/" + vendorId + "/events/order_ready_for_pickup";
        await().atMost(Duration.ofSeconds(30)).until(() -> calls(dd, readyPath) == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> calls(dd, readyPath) == 1);
        assertThat(jdbc.queryForList("select actor from order_timeline where order_id = ? and kind = 'status'",
                String.class, order)).contains("kds:grill", "kds:fryer");
    }

    @Test
    void aNewOrdersTicketsCommitWithTheOrderSoWhoeverSeesTheOrderSeesItsTickets() throws Exception {
        String key = postDoorDashOrder(UUID.randomUUID().toString());
        // one statement, one snapshot: the first time the order is there at all, its tickets and the kitchen's
        // delivery record are there too (orderhub.kitchen.tickets-with-order: one commit, no kds queue hop)
        String snapshot = "select (select count(*) from kitchen_ticket k where k.order_id = o.id) || ',' || "
                + "(select count(*) from stage_delivery d where d.order_id = o.id and d.stage = 'kds' "
                + "and d.event_type = 'order.created') from orders o where o.business_key = ?";
        List<String> seen = new ArrayList<>();
        await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(30)).until(() -> {
            seen.addAll(jdbc.queryForList(snapshot, String.class, key));
            return !seen.isEmpty();
        });
        assertThat(seen).containsExactly("2,1");
    }

    @Test
    void theOrderTypePicksTheStationAndTheScreensShowRushThenVipThenTheRest() throws Exception {
        // the same soda: poured at the bar for pickup, bagged at the pass for delivery (brooklyn's menu, stationFor)
        UUID delivery = sodaOrder("delivery", null);
        UUID normal = sodaOrder("pickup", null);
        UUID vip = sodaOrder("pickup", "vip");
        UUID rush = sodaOrder("pickup", "rush");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from kitchen_ticket where "
                + "order_id in (?, ?, ?, ?)", delivery, normal, vip, rush) == 4);
        assertThat(jdbc.queryForList("select station from kitchen_ticket where order_id = ?", String.class, delivery))
                .containsExactly("pass");
        assertThat(jdbc.queryForList("select priority from kitchen_ticket where order_id in (?, ?, ?) order by "
                + "created_at", String.class, normal, vip, rush)).containsExactly("normal", "vip", "rush");

        // the bar's screen: the rush ticket first, then the VIP one, then the earlier normal one
        List<String> orders = kitchen("GET", "/api/v1/kds/brooklyn/tickets?station=bar").json().path("tickets")
                .findValuesAsText("orderId");
        assertThat(orders).doesNotContain(delivery.toString());
        assertThat(List.of(orders.indexOf(rush.toString()), orders.indexOf(vip.toString()),
                orders.indexOf(normal.toString()))).doesNotContain(-1).isSorted();
        assertThat(postOrder(sodaBody("pickup", "king"), UUID.randomUUID().toString()).status()).isEqualTo(400);
    }

    private UUID sodaOrder(String type, String priority) throws Exception {
        Reply r = postOrder(sodaBody(type, priority), UUID.randomUUID().toString());
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return UUID.fromString(r.json().path("orderId").asText());
    }

    private static String sodaBody(String type, String priority) {
        return """
                {"channel": "web", "locationId": "brooklyn", "type": "%s", "currency": "USD",
                 "lines": [{"itemId": "soda", "quantity": 1, "unitPrice": 299}],
                 "fulfilment": {%s"address": {"line1": "1 Main St", "city": "Brooklyn", "country": "US"}}}
                """.formatted(type, priority == null ? "" : "\"priority\": \"" + priority + "\", ");
    }

    @Test
    void aScheduledOrderIsHeldUntilItsLeadTimeAndNotBefore() throws Exception {
        // brooklyn burger 9 min + lead buffer 5 min: fires 14 min before the scheduled time, i.e. in about 8 s
        OffsetDateTime scheduled = OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(14).plusSeconds(8);
        Reply r = postOrder("""
                {"channel": "app", "locationId": "brooklyn", "type": "pickup", "currency": "USD",
                 "lines": [{"itemId": "classic-burger", "quantity": 1, "unitPrice": 1299,
                            "modifiers": [{"groupId": "doneness", "modifierId": "medium", "quantity": 1, "unitPrice": 0}]}],
                 "fulfilment": {"scheduledFor": "%s"},
                 "customer": {"name": "Later Lou", "phone": "+1 718 555 0199"}}
                """.formatted(scheduled), UUID.randomUUID().toString());
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        UUID order = UUID.fromString(r.json().path("orderId").asText());
        JsonNode[] ticket = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode all = kitchen("GET", "/api/v1/kds/orders/" + order + "/tickets").json();
            assertThat(all).hasSize(1);
            ticket[0] = all.get(0);
        });
        Instant fireAt = Instant.parse(ticket[0].path("fireAt").asText());
        assertThat(fireAt).isBetween(scheduled.toInstant().minus(Duration.ofMinutes(14)).minusMillis(1),
                scheduled.toInstant().minus(Duration.ofMinutes(14)).plusMillis(1));
        assertThat(ticket[0].path("priority").asText()).isEqualTo("scheduled");
        String id = ticket[0].path("id").asText();
        assertThat(Instant.now()).isBefore(fireAt);
        assertThat(board("brooklyn", "grill")).doesNotContain(id);
        assertThat(kitchen("GET", "/api/v1/kds/brooklyn/tickets?held=true").json().path("held")
                .findValuesAsText("id")).contains(id);
        assertThat(kitchen("POST", "/api/v1/kds/tickets/" + id + "/bump").status()).isEqualTo(409);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> board("brooklyn", "grill").contains(id));
        assertThat(Instant.now()).as("shown on the board, not before its fire time").isAfterOrEqualTo(fireAt);
    }

    @Test
    void aCancelAfterPreparationStartedVoidsTheTickets() throws Exception {
        Reply r = postOrder("""
                {"channel": "web", "locationId": "brooklyn", "type": "pickup", "currency": "USD",
                 "lines": [{"itemId": "fries", "quantity": 2, "unitPrice": 499},
                           {"itemId": "soda", "quantity": 1, "unitPrice": 299}],
                 "customer": {"name": "Changed Mind", "phone": "+1 718 555 0177"}}
                """, UUID.randomUUID().toString());
        UUID order = UUID.fromString(r.json().path("orderId").asText());
        List<JsonNode> tickets = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            tickets.clear();
            kitchen("GET", "/api/v1/kds/orders/" + order + "/tickets").json().forEach(tickets::add);
            assertThat(tickets).hasSize(2);
        });
        String fryer = tickets.stream().filter(t -> t.path("station").asText().equals("fryer")).findFirst()
                .orElseThrow().path("id").asText();
        assertThat(kitchen("POST", "/api/v1/kds/tickets/" + fryer + "/items/0/bump").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(order).equals("in_preparation"));

        assertThat(post("/api/v1/orders/" + order + "/status", "{\"status\": \"cancelled\", \"reason\": \"guest "
                + "called\"}", Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json"))
                .status()).isEqualTo(200);
        // the fries were cooked (their only item bumped: ticket done); the soda not yet: it leaves the bar's screen
        String bar = tickets.stream().filter(t -> t.path("station").asText().equals("bar")).findFirst()
                .orElseThrow().path("id").asText();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, String> states = new LinkedHashMap<>();
            kitchen("GET", "/api/v1/kds/orders/" + order + "/tickets").json().forEach(t ->
                    states.put(t.path("station").asText(), t.path("state").asText()));
            assertThat(states).containsEntry("bar", "VOIDED").containsEntry("fryer", "DONE");
        });
        assertThat(board("brooklyn", "bar")).doesNotContain(bar);
        assertThat(board("brooklyn", null)).doesNotContain(bar, fryer);
        assertThat(kitchen("POST", "/api/v1/kds/tickets/" + bar + "/bump").status()).isEqualTo(409);
        assertThat(status(order)).isEqualTo("cancelled");
    }

    @Test
    void withThePosDownTheTicketIsOnTheScreenAtOnceMarkedNotInPosAndTheOrderReachesThePosOnceAfter()
            throws Exception {
        var outage = squareSandbox().stubFor(com.github.tomakehurst.wiremock.client.WireMock
                .post(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/v2/orders")).atPriority(1)
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath(
                        "$.order.fulfillments[0].pickup_details.recipient.display_name",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo("Pos Down")))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(503)));
        UUID order;
        String ticket;
        try {
            Reply r = postOrder("""
                    {"channel": "web", "locationId": "brooklyn", "type": "pickup", "currency": "USD",
                     "lines": [{"itemId": "soda", "quantity": 3, "unitPrice": 299, "notes": "no ice",
                                "allergies": ["citrus"]}],
                     "customer": {"name": "Pos Down", "phone": "+1 718 555 0144"}}
                    """, UUID.randomUUID().toString());
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            order = UUID.fromString(r.json().path("orderId").asText());
            UUID id = order;
            String[] found = new String[1];
            // on the bar's screen at once, while Square keeps refusing: marked "not in POS"
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode board = kitchen("GET", "/api/v1/kds/brooklyn/tickets?station=bar").json().path("tickets");
                JsonNode mine = null;
                for (JsonNode t : board) {
                    if (t.path("orderId").asText().equals(id.toString())) {
                        mine = t;
                    }
                }
                assertThat(mine).isNotNull();
                assertThat(mine.path("notInPos").asBoolean()).isTrue();
                assertThat(mine.path("items").get(0).path("notes").asText()).isEqualTo("no ice");
                assertThat(mine.path("items").get(0).path("allergies").toString()).contains("citrus");
                found[0] = mine.path("id").asText();
            });
            ticket = found[0];
            await().atMost(Duration.ofSeconds(10)).until(() -> squareSandbox().getAllServeEvents().stream()
                    .anyMatch(e -> e.getResponse().getStatus() == 503
                            && e.getRequest().getBodyAsString().contains(id.toString())));
            assertThat(count("select count(*) from stage_delivery where stage = 'pos' and order_id = ?", order))
                    .isZero();
            // operators see it too: the console's order says "not in POS", with Square's last answer
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode pos = asViewer("GET", "/api/v1/admin/orders/" + id + "/timeline", null).json()
                        .path("order").path("pos");
                assertThat(pos.path("state").asText()).isEqualTo("not-in-pos");
                assertThat(pos.path("lastAnswer").asText()).startsWith("failed: ").contains("503");
            });
        } finally {
            squareSandbox().removeStub(outage);
        }
        UUID id = order;
        await().atMost(Duration.ofSeconds(60)).until(() -> squareCreates(id) == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> kitchen("GET", "/api/v1/kds/orders/" + id + "/tickets")
                .json().get(0).path("notInPos").asBoolean() == false);
        assertThat(asViewer("GET", "/api/v1/admin/orders?q=" + id, null).json().path("items").get(0).path("pos")
                .path("state").asText()).isEqualTo("in-pos");
        assertThat(count("select count(*) from dead_letter where order_id = ?", order)).isZero();
        assertThat(count("select count(*) from kitchen_ticket where order_id = ?", order)).isEqualTo(1);
        assertThat(ticket).isNotBlank();
    }

    private Reply kitchen(String method, String path) throws Exception {
        return console(method, path, null, "kitchen", "test-kitchen-pass", null);
    }

    private List<String> board(String location, String station) throws Exception {
        Reply b = kitchen("GET", "/api/v1/kds/" + location + "/tickets" + (station == null ? "" : "?station="
                + station));
        assertThat(b.status()).as(b.body()).isEqualTo(200);
        return b.json().path("tickets").findValuesAsText("id");
    }

    private String status(UUID order) {
        return jdbc.queryForObject("select status from orders where id = ?", String.class, order);
    }

    private static long calls(WireMockServer server, String pathEnd) {
        return server.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().endsWith(pathEnd)).count();
    }
}
