package io.orderhub.adapter;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One call to a vendor's API, as an adapter describes it: the kit adds the base URL, the descriptor's auth, an
 * Idempotency-Key, timeouts and the error policy. {@code body} is any JSON-serialisable value (null for none).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record VendorCall(String method, String path, Object body, Map<String, String> headers) {

    public VendorCall {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static VendorCall of(String method, String path, Object body) {
        return new VendorCall(method, path, body, Map.of());
    }
}
