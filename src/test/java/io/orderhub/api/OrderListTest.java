package io.orderhub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.support.HubTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OrderListTest extends HubTestSupport {

    private String accepted(String body) throws Exception {
        String id = postOrder(body, UUID.randomUUID().toString()).json().get("orderId").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> "accepted".equals(
                get("/api/v1/orders/" + id, KEY).json().get("state").asText()));
        return id;
    }

    private List<String> ids(String query) throws Exception {
        Reply r = get("/api/v1/orders?" + query, KEY);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("items").findValuesAsText("id").stream().distinct().toList();
    }

    @Test
    void filtersByLocationChannelStatusAndTimeAndPages() throws Exception {
        Instant before = Instant.now();
        String web = accepted(sohoOrder());
        String kiosk = accepted(sohoOrder().replace("\"web\"", "\"kiosk\""));
        String preparing = accepted(sohoOrder());
        post("/api/v1/orders/" + preparing + "/status", "{\"status\": \"in_preparation\"}",
                Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json"));
        String from = before.toString();

        assertThat(ids("location=soho&from=" + from + "&size=200")).contains(web, kiosk, preparing);
        assertThat(ids("location=brooklyn&from=" + from + "&size=200")).doesNotContain(web, kiosk, preparing);
        assertThat(ids("channel=kiosk&from=" + from + "&size=200")).contains(kiosk).doesNotContain(web);
        assertThat(ids("status=in_preparation&from=" + from + "&size=200")).contains(preparing)
                .doesNotContain(web, kiosk);
        assertThat(ids("to=" + before + "&size=200")).doesNotContain(web, kiosk, preparing);

        JsonNode first = get("/api/v1/orders?from=" + from + "&size=2&page=0", KEY).json();
        JsonNode second = get("/api/v1/orders?from=" + from + "&size=2&page=1", KEY).json();
        assertThat(first.get("total").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(first.get("items")).hasSize(2);
        assertThat(first.get("items").findValuesAsText("id")).doesNotContainAnyElementsOf(
                second.get("items").findValuesAsText("id"));
    }

    @Test
    void badPagingAndUnknownStatusAre400() throws Exception {
        assertThat(get("/api/v1/orders?size=0", KEY).status()).isEqualTo(400);
        assertThat(get("/api/v1/orders?size=100000", KEY).status()).isEqualTo(400);
        assertThat(get("/api/v1/orders?status=eaten", KEY).status()).isEqualTo(400);
        assertThat(get("/api/v1/orders?from=yesterday", KEY).status()).isEqualTo(400);
    }
}
