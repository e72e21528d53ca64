package io.orderhub.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class CamelHeaderFilterTest {

    @Test
    void hidesCamelHeadersInEveryCaseAndKeepsTheRest() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/webhooks/x");
        request.addHeader("CamelJmsDestinationName", "evil");
        request.addHeader("CAmelHttpUri", "http://evil");
        request.addHeader("camelfileName", "../../etc/passwd");
        request.addHeader("X-Camel-Trace", "kept: does not start with camel");
        request.addHeader("Content-Type", "application/json");
        AtomicReference<HttpServletRequest> seen = new AtomicReference<>();
        new CamelHeaderFilter().doFilter(request, new MockHttpServletResponse(), (req, res) ->
                seen.set((HttpServletRequest) req));

        HttpServletRequest filtered = seen.get();
        assertThat(Collections.list(filtered.getHeaderNames())).containsExactlyInAnyOrder("X-Camel-Trace",
                "Content-Type");
        assertThat(filtered.getHeader("CAmelHttpUri")).isNull();
        assertThat(filtered.getHeader("camelJmsDestinationName")).isNull();
        assertThat(Collections.list(filtered.getHeaders("camelfileName"))).isEmpty();
        assertThat(filtered.getHeader("Content-Type")).isEqualTo("application/json");
    }
}
