package io.orderhub.notify;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code orderhub.notifications}: the customer webhook endpoints (Standard Webhooks), the language of each
 * location, and the message templates per language, with per-location overrides.
 *
 * <pre>
 * webhooks:   [{name, url, secret (whsec_...), locations: [..] (empty: all)}]
 * locations:  {&lt;location&gt;: {language: en, templates: {ready: "..."}}}
 * templates:  {&lt;language&gt;: {confirmed: "...", preparing, ready, out_for_delivery, cancelled, refunded}}
 * </pre>
 * Placeholders: {name} (customer's first name), {number} (the order's short number), {location} (its name),
 * {reason} (" - reason" when there is one).
 */
@ConfigurationProperties("orderhub.notifications")
public record NotificationProperties(List<Endpoint> webhooks, Map<String, LocationSettings> locations,
                                     Map<String, Map<String, String>> templates, String defaultLanguage) {

    public record Endpoint(String name, String url, String secret, List<String> locations) {
        public boolean serves(String location) {
            return locations == null || locations.isEmpty() || locations.contains(location);
        }
    }

    public record LocationSettings(String language, Map<String, String> templates) {
    }

    public List<Endpoint> endpoints() {
        return webhooks == null ? List.of() : webhooks;
    }

    public String language(String location) {
        LocationSettings l = locations == null ? null : locations.get(location);
        String fallback = defaultLanguage == null ? "en" : defaultLanguage;
        return l == null || l.language() == null ? fallback : l.language();
    }

    /** The template for this location and kind: the location's own, its language's, then the default language's. */
    public String template(String location, String kind) {
        LocationSettings l = locations == null ? null : locations.get(location);
        if (l != null && l.templates() != null && l.templates().containsKey(kind)) {
            return l.templates().get(kind);
        }
        Map<String, Map<String, String>> all = templates == null ? Map.of() : templates;
        String lang = language(location);
        for (String candidate : List.of(lang, lang.contains("-") ? lang.substring(0, lang.indexOf('-')) : lang,
                defaultLanguage == null ? "en" : defaultLanguage)) {
            Map<String, String> t = all.get(candidate);
            if (t != null && t.containsKey(kind)) {
                return t.get(kind);
            }
        }
        return null;
    }
}
