package io.orderhub.adapter;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code adapters/<id>/adapter.yaml}: what the kit needs to know about one vendor. Every value under
 * {@code settings} is a default that configuration overrides ({@code orderhub.adapters.<id>.<name>}, or the
 * environment variable {@code ORDERHUB_ADAPTERS_<ID>_<NAME>}); secrets are never in the descriptor.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record AdapterDescriptor(
        String id,
        String name,
        Kind kind,
        @JsonProperty("class") String className,
        Boolean enabled,
        /* canonical channel of this vendor's orders, e.g. "uber-eats" */
        String channel,
        Signature signature,
        Ack ack,
        /* "menu": prices must match the location's menu; "platform": the vendor's price is what the guest paid */
        String menuPrices,
        Outbound outbound,
        Polling polling,
        /* canonical event or status -> what the vendor is told (documentation; the adapter's statusCall does it) */
        Map<String, String> statusMapping,
        Map<String, String> settings) {

    public enum Kind {
        @JsonProperty("pos") POS,
        @JsonProperty("delivery") DELIVERY,
        @JsonProperty("reservations") RESERVATIONS,
        @JsonProperty("accounting") ACCOUNTING,
        @JsonProperty("payments") PAYMENTS,
        /** Sends messages to customers (SMS): {@link VendorAdapter#messageCall}. */
        @JsonProperty("notifications") NOTIFICATIONS
    }

    /** Scheme kind (see SignatureSchemes) and its parameters, e.g. {@code header: X-Uber-Signature}. */
    public record Signature(String scheme, Map<String, String> parameters, String tolerance) {
        @com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
        static Signature of(Map<String, String> all) {
            Map<String, String> params = new java.util.LinkedHashMap<>(all);
            String scheme = params.remove("scheme");
            String tolerance = params.remove("tolerance");
            return new Signature(scheme, Map.copyOf(params), tolerance);
        }
    }

    /**
     * The answer a vendor expects once its payload is durable (also for a retry of one the hub already has).
     * {@code body} empty and {@code contentType} empty give an empty body (Uber Eats wants exactly that).
     */
    public record Ack(Integer status, String contentType, String body) {
        public int statusOr200() {
            return status == null ? 200 : status;
        }
    }

    /** The vendor's API: auth scheme and its parameters; answers that mean "already done". */
    public record Outbound(Map<String, String> auth, List<Integer> alreadyDoneStatuses, String timeout) {
    }

    public record Polling(Boolean enabled, String interval) {
        public boolean on() {
            return enabled != null && enabled;
        }
    }

    public boolean pricesFromPlatform() {
        return "platform".equals(menuPrices);
    }
}
