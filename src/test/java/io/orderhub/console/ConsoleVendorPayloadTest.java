package io.orderhub.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderhub.adapter.Adapter;
import io.orderhub.support.HubTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A vendor payload the adapter cannot map (a DoorDash order with a fulfilment type it does not know) waits in the
 * intake's dead letters; the operator's edit is checked against the vendor's shape by the DoorDash adapter itself,
 * and the fixed payload, replayed, becomes one order.
 */
class ConsoleVendorPayloadTest extends HubTestSupport {

    @Test
    void anUnmappableDoorDashOrderIsCheckedByItsAdapterFixedAndReplayedIntoOneOrder() throws Exception {
        String orderId = UUID.randomUUID().toString();
        String good = Files.readString(Path.of("adapters/doordash/samples/delivery-asap-tip.input.json"))
                .replace("3f2b9c1e-6d7a-4e58-9b0c-1a2d3e4f5a61", orderId);
        assertThat(good).contains("\"fulfillment_type\": \"dx_delivery\"");
        String bad = good.replace("\"fulfillment_type\": \"dx_delivery\"", "\"fulfillment_type\": \"drone_drop\"");
        Adapter doordash = adapterRegistry.find("doordash").orElseThrow();
        Reply webhook = post("/webhooks/doordash", bad, signedWebhook(doordash, bad));
        assertThat(webhook.status()).as(webhook.body()).isBetween(200, 299);

        UUID[] letter = new UUID[1];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<UUID> ids = jdbc.queryForList("select id from dead_letter where queue = 'orderhub.intake' and "
                    + "source = 'doordash' and payload like ?", UUID.class, "%" + orderId + "%");
            assertThat(ids).hasSize(1);
            letter[0] = ids.get(0);
        });
        Reply detail = asViewer("GET", "/api/v1/admin/dead-letters/" + letter[0], null);
        assertThat(detail.json().path("reason").asText()).contains("unknown fulfillment_type 'drone_drop'");

        String path = "/api/v1/admin/dead-letters/" + letter[0];
        Reply stillBad = asOps("POST", path + "/validate", json.writeValueAsString(Map.of("payload", bad)));
        assertThat(stillBad.json().path("valid").asBoolean()).isFalse();
        assertThat(stillBad.json().path("errors").toString()).contains("doordash translator cannot read it")
                .contains("drone_drop");
        assertThat(asOps("POST", path + "/replay", json.writeValueAsString(Map.of("payload", bad))).status())
                .isEqualTo(422);

        String fixed = detail.json().path("payload").asText().replace("drone_drop", "mx_fleet_delivery");
        Reply ok = asOps("POST", path + "/validate", json.writeValueAsString(Map.of("payload", fixed)));
        assertThat(ok.json().path("valid").asBoolean()).as(ok.body()).isTrue();
        Reply replayed = asOps("POST", path + "/replay", json.writeValueAsString(Map.of("payload", fixed)));
        assertThat(replayed.status()).as(replayed.body()).isEqualTo(200);

        String key = "doordash:order:" + orderId;
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from orders where business_key = ?",
                key) == 1);
        assertThat(jdbc.queryForObject("select document from orders where business_key = ?", String.class, key))
                .contains("\"type\":\"delivery\"");
        assertThat(asOps("POST", path + "/replay", null).status()).isEqualTo(409);
        assertThat(count("select count(*) from orders where business_key = ?", key)).isEqualTo(1);
    }
}
