package io.orderhub.adapter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.orderhub.order.OrderEvent;
import io.orderhub.pipeline.PermanentFailure;
import io.orderhub.pipeline.RetryLater;
import io.orderhub.support.OfflineAdapters;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Clover delete of a cancelled hub order, against the adapter's sandbox stubs: it goes to the merchant the order
 * was created at, with that merchant's token; Clover's 404 is done (the descriptor's already-done-statuses) while a
 * 404 on the atomic create stays a refusal; no remembered Clover id: the delete waits; cancel-deletes-order off:
 * no call.
 */
class CloverCancelDeleteTest {

    static final String QUEENS = "MQ5Z2KXN8PQR1";
    static final String BROOKLYN = "MBRKLYN2CLVR7";
    static AdapterRegistry registry;
    static Adapter clover;
    static WireMockServer sandbox;

    @BeforeAll
    static void load() throws Exception {
        registry = OfflineAdapters.registry(Clock.fixed(Instant.parse("2026-01-01T12:00:00Z"), ZoneOffset.UTC),
                Map.of("orderhub.adapters.clover.stores[" + BROOKLYN + "]", "brooklyn",
                        "orderhub.adapters.clover.merchants." + BROOKLYN + ".api-token", "brooklyn-merchant-token"));
        clover = registry.find("clover").orElseThrow();
        sandbox = registry.sandbox("clover").orElseThrow();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void theDeleteGoesToTheRememberedMerchantWithItsToken() throws Exception {
        OrderEvent cancelled = cancelled("brooklyn");
        clover.context().rememberOrder(cancelled.orderId(), "BRK1DELETE001", null,
                "{\"merchantId\":\"" + BROOKLYN + "\"}");
        VendorCall call = clover.vendor().posCall(cancelled, "clover:" + cancelled.eventId(), clover.context())
                .orElseThrow();
        assertThat(call.method()).isEqualTo("DELETE");
        assertThat(call.path()).isEqualTo("/v3/merchants/" + BROOKLYN + "/orders/BRK1DELETE001");
        assertThat(call.body()).isNull();

        VendorApi.Response answer = clover.context().api().send(call, "clover:" + cancelled.eventId());
        assertThat(answer.status()).isEqualTo(200);
        clover.vendor().posAnswered(cancelled, call, answer, clover.context());
        assertThat(sandbox.getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> r.getUrl().equals(call.path())).map(r -> r.getMethod().getName() + " "
                        + r.getHeader("Authorization")).toList())
                .containsExactly("DELETE Bearer brooklyn-merchant-token");
    }

    @Test
    void aDeleteAnswered404IsDoneButACreateAnswered404IsARefusal() throws Exception {
        OrderEvent cancelled = cancelled("queens");
        clover.context().rememberOrder(cancelled.orderId(), "QNS404GONE001", null, "{\"merchantId\":\"" + QUEENS
                + "\"}");
        sandbox.stubFor(WireMock.delete(urlPathEqualTo("/v3/merchants/" + QUEENS + "/orders/QNS404GONE001"))
                .atPriority(1).willReturn(aResponse().withStatus(404).withBody("{\"message\":\"Not Found\"}")));
        VendorCall delete = clover.vendor().posCall(cancelled, "k", clover.context()).orElseThrow();
        VendorApi.Response gone = clover.context().api().send(delete, "k");
        assertThat(gone.status()).isEqualTo(404);
        clover.vendor().posAnswered(cancelled, delete, gone, clover.context());

        OrderEvent created = event("adapters/clover/samples/delivery-doordash.pos-event.json", "queens", null);
        VendorCall create = clover.vendor().posCall(created, "k2", clover.context()).orElseThrow();
        assertThatThrownBy(() -> clover.vendor().posAnswered(created, create,
                new VendorApi.Response(404, "{\"message\":\"Not Found\"}"), clover.context()))
                .isInstanceOf(PermanentFailure.class)
                .hasMessageContaining("clover POST /v3/merchants/" + QUEENS + "/atomic_order/orders answered 404")
                .hasMessageContaining("Not Found");
        assertThat(clover.context().orderRef(created.orderId())).isEmpty();
    }

    @Test
    void noRememberedCloverIdWaitsForTheCreate() throws Exception {
        OrderEvent cancelled = cancelled("queens");
        assertThatThrownBy(() -> clover.vendor().posCall(cancelled, "k", clover.context()))
                .isInstanceOf(RetryLater.class).hasMessageContaining("not in Clover yet");
    }

    @Test
    void cancelDeletesOrderOffSendsNothing() throws Exception {
        try (AdapterRegistry off = OfflineAdapters.registry(Clock.systemUTC(),
                Map.of("orderhub.adapters.clover.cancel-deletes-order", "false"))) {
            Adapter a = off.find("clover").orElseThrow();
            OrderEvent cancelled = cancelled("queens");
            a.context().rememberOrder(cancelled.orderId(), "QNSKEPT000001", null, null);
            assertThat(a.vendor().posCall(cancelled, "k", a.context())).isEmpty();
        }
    }

    /** The golden cancelled DoorDash order at a location, under a fresh hub order id. */
    private static OrderEvent cancelled(String location) throws Exception {
        return event("adapters/clover/samples/cancelled-by-doordash-delete.pos-event.json", location,
                UUID.randomUUID());
    }

    private static OrderEvent event(String file, String location, UUID id) throws Exception {
        ObjectNode event = (ObjectNode) OfflineAdapters.JSON.readTree(Path.of(file).toFile());
        ObjectNode order = (ObjectNode) event.get("order");
        order.put("locationId", location);
        if (id != null) {
            event.put("orderId", id.toString());
            order.put("id", id.toString());
        }
        return OfflineAdapters.JSON.treeToValue(event, OrderEvent.class);
    }
}
