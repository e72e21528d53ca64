package io.orderhub.kitchen;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code orderhub.kitchen.webhooks}: external kitchen displays that are told of ticket events as outbound webhooks
 * signed with Standard Webhooks.
 *
 * <pre>
 * webhooks: [{name, url, secret (whsec_...), locations: [..] (empty: all), stations: [..] (empty: all)}]
 * </pre>
 * {@code name} identifies the display in queued messages and dead letters (default {@code display-<n>}, its place
 * in the list): keep it when the list changes. Secrets come from the environment, never from the repo.
 */
@ConfigurationProperties("orderhub.kitchen")
public record KdsWebhookProperties(List<Display> webhooks) {

    public record Display(String name, String url, String secret, List<String> locations, List<String> stations) {

        public boolean serves(String location, String station) {
            return (locations == null || locations.isEmpty() || locations.contains(location))
                    && (stations == null || stations.isEmpty() || stations.contains(station));
        }
    }

    /** The displays, each with its name (given, or {@code display-<n>}). */
    public List<Display> displays() {
        if (webhooks == null) {
            return List.of();
        }
        List<Display> out = new java.util.ArrayList<>();
        for (int i = 0; i < webhooks.size(); i++) {
            Display d = webhooks.get(i);
            String name = d.name() == null || d.name().isBlank() ? "display-" + i : d.name();
            out.add(new Display(name, d.url(), d.secret(), d.locations(), d.stations()));
        }
        return out;
    }
}
