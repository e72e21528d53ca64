package io.orderhub.adapter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.order.OrderEvent;
import io.orderhub.order.Timeline;
import io.orderhub.security.CardNumberMasker;
import io.orderhub.support.Text;
import org.springframework.stereotype.Component;

/**
 * Makes a stage's call to a vendor and puts it on the order's timeline with the request and the answer (bodies
 * clipped, card-number-like digits masked; auth headers never): the operator sees what was sent and what came back,
 * for every attempt, failed ones included.
 */
@Component
public class VendorCallLog {

    private static final int REQUEST_CHARS = 1800;
    private static final int ANSWER_CHARS = 1200;

    private final Timeline timeline;
    private final ObjectMapper json;

    public VendorCallLog(Timeline timeline, ObjectMapper json) {
        this.timeline = timeline;
        this.json = json;
    }

    public VendorApi.Response send(OrderEvent event, String stage, Adapter adapter, VendorCall call, String key) {
        String request = event.type() + " -> " + call.method() + " " + call.path() + body(call);
        try {
            VendorApi.Response response = adapter.context().api().send(call, key);
            timeline.record(event.orderId(), "vendor-call", stage, adapter.id(), request + "\nanswered "
                    + response.status() + ": " + CardNumberMasker.mask(Text.clip(response.body(), ANSWER_CHARS)));
            return response;
        } catch (RuntimeException failed) {
            timeline.record(event.orderId(), "vendor-call-failed", stage, adapter.id(), request + "\nfailed: "
                    + CardNumberMasker.mask(Text.clip(failed.getMessage(), ANSWER_CHARS)));
            throw failed;
        }
    }

    private String body(VendorCall call) {
        if (call.body() == null) {
            return "";
        }
        try {
            return "\nrequest: " + CardNumberMasker.mask(Text.clip(json.writeValueAsString(call.body()),
                    REQUEST_CHARS));
        } catch (JsonProcessingException e) {
            return "\nrequest: (not JSON: " + e.getOriginalMessage() + ")";
        }
    }
}
