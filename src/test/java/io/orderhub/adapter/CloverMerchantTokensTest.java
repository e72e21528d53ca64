package io.orderhub.adapter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.orderhub.order.OrderEvent;
import io.orderhub.support.OfflineAdapters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A restaurant group with one Clover merchant per location: each merchant's calls (the fetch of a thin webhook's
 * order, the order injection) carry that merchant's own OAuth access token (merchants.&lt;mId&gt;.api-token); a
 * merchant without one gets the adapter's api-token.
 */
class CloverMerchantTokensTest {

    static final String QUEENS = "MQ5Z2KXN8PQR1";
    static final String BROOKLYN = "MBRKLYN2CLVR7";
    static final String CHELSEA = "MCHLSEA4CLVR2";
    static AdapterRegistry registry;
    static Adapter clover;
    static WireMockServer sandbox;

    @BeforeAll
    static void load() throws Exception {
        registry = OfflineAdapters.registry(Clock.fixed(Instant.parse("2026-01-01T12:00:00Z"), ZoneOffset.UTC),
                Map.of("orderhub.adapters.clover.stores[" + BROOKLYN + "]", "brooklyn",
                        "orderhub.adapters.clover.stores[" + CHELSEA + "]", "chelsea",
                        "orderhub.adapters.clover.merchants." + QUEENS + ".api-token", "queens-merchant-token",
                        "orderhub.adapters.clover.merchants." + BROOKLYN + ".api-token", "brooklyn-merchant-token"));
        clover = registry.find("clover").orElseThrow();
        sandbox = registry.sandbox("clover").orElseThrow();
        String order = Files.readString(Path.of("adapters/clover/wiremock/__files/order-9XK2M7QW3T1AB.json"));
        for (String merchant : List.of(BROOKLYN, CHELSEA)) {
            sandbox.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/v3/merchants/"
                    + merchant + "/orders/9XK2M7QW3T1AB")).atPriority(1).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody(order)));
        }
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void eachMerchantsCallsCarryItsOwnBearerToken() throws Exception {
        String webhook = Files.readString(Path.of("adapters/clover/samples/walk-in-dine-in-paid.input.json"));
        for (String merchant : List.of(QUEENS, BROOKLYN, CHELSEA)) {
            clover.vendor().translate(webhook.replace(QUEENS, merchant), new VendorAdapter.TranslationContext(
                    UUID.randomUUID(), "tokens-" + merchant, Instant.parse("2026-01-01T12:00:00Z")),
                    clover.context());
        }
        for (String location : List.of("queens", "brooklyn", "chelsea")) {
            ObjectNode event = (ObjectNode) OfflineAdapters.JSON.readTree(Path.of(
                    "adapters/clover/samples/delivery-doordash.pos-event.json").toFile());
            ((ObjectNode) event.get("order")).put("locationId", location);
            OrderEvent e = OfflineAdapters.JSON.treeToValue(event, OrderEvent.class);
            VendorCall call = clover.vendor().posCall(e, "clover:" + e.eventId(), clover.context()).orElseThrow();
            clover.context().api().send(call, "clover:" + e.eventId() + ":" + location);
        }

        assertThat(authorizations(QUEENS, "GET")).containsExactly("Bearer queens-merchant-token");
        assertThat(authorizations(QUEENS, "POST")).containsExactly("Bearer queens-merchant-token");
        assertThat(authorizations(BROOKLYN, "GET")).containsExactly("Bearer brooklyn-merchant-token");
        assertThat(authorizations(BROOKLYN, "POST")).containsExactly("Bearer brooklyn-merchant-token");
        // no token of its own: the adapter's api-token (config/application-sandbox.yaml)
        assertThat(authorizations(CHELSEA, "GET")).containsExactly("Bearer demo-clover-access-token-not-a-secret");
        assertThat(authorizations(CHELSEA, "POST")).containsExactly("Bearer demo-clover-access-token-not-a-secret");
    }

    private static List<String> authorizations(String merchant, String method) {
        return sandbox.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> r.getMethod().getName().equals(method)
                        && r.getUrl().startsWith("/v3/merchants/" + merchant + "/"))
                .map(r -> r.getHeader("Authorization")).toList();
    }
}
