package io.orderhub.adapter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.orderhub.support.OfflineAdapters;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each POS adapter's health check (VendorAdapter.healthCall): the read the hub sends, past the circuit breaker,
 * when a 500 opens a POS's circuit, to tell a poison message from a POS that is down. Each POS's sandbox answers
 * it; an answer counts as "up" only when it is a 2xx or a 4xx that is not about auth or load.
 */
class AdapterHealthCheckTest {

    static AdapterRegistry registry;

    @BeforeAll
    static void load() throws Exception {
        registry = OfflineAdapters.registry(Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void everyPosAdapterHasAHealthCheckThatItsSandboxAnswers() {
        List<Adapter> pos = registry.all().stream()
                .filter(a -> a.descriptor().kind() == AdapterDescriptor.Kind.POS).toList();
        assertThat(pos).extracting(Adapter::id).contains("square", "toast", "clover");
        for (Adapter adapter : pos) {
            VendorCall check = adapter.vendor().healthCall(adapter.context()).orElseThrow(() ->
                    new AssertionError(adapter.id() + " has no health check"));
            assertThat(check.method()).as(adapter.id()).isEqualTo("GET");
            assertThat(check.body()).as(adapter.id()).isNull();
            WireMockServer sandbox = registry.sandbox(adapter.id()).orElseThrow();
            sandbox.resetRequests();
            assertThat(adapter.context().api().answers(check)).as(adapter.id() + " " + check.path()).isTrue();
            List<ServeEvent> served = sandbox.getAllServeEvents();
            assertThat(served).as(adapter.id()).hasSize(1);
            // answered by the sandbox's stub of that endpoint, not by a catch-all
            assertThat(served.get(0).getResponse().getStatus()).as(adapter.id()).isEqualTo(200);
            assertThat(served.get(0).getRequest().getHeader("Authorization")).as(adapter.id()).startsWith("Bearer ");
        }
    }

    @Test
    void onlyAnAnswerThatIsNotAboutAvailabilityAuthOrLoadMeansTheVendorIsUp() {
        Adapter square = registry.find("square").orElseThrow();
        WireMockServer sandbox = registry.sandbox("square").orElseThrow();
        VendorCall check = square.vendor().healthCall(square.context()).orElseThrow();
        assertThat(check.path()).isEqualTo("/v2/locations");
        for (int status : new int[] {500, 502, 503, 504, 401, 408, 429, 404, 403, 200}) {
            StubMapping stub = sandbox.stubFor(get(urlPathEqualTo("/v2/locations")).atPriority(1)
                    .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                            .withBody("{\"errors\":[]}")));
            try {
                boolean expected = status == 404 || status == 403 || status == 200;
                assertThat(square.context().api().answers(check)).as("answered %d", status).isEqualTo(expected);
            } finally {
                sandbox.removeStub(stub);
            }
        }
        // a POS that drops the connection does not answer
        StubMapping dropped = sandbox.stubFor(get(urlPathEqualTo("/v2/locations")).atPriority(1)
                .willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        try {
            assertThat(square.context().api().answers(check)).isFalse();
        } finally {
            sandbox.removeStub(dropped);
        }
    }
}
