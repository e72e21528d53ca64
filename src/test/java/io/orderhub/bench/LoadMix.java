package io.orderhub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.orderhub.adapter.AdapterDescriptor;
import io.orderhub.adapter.AdapterRegistry;
import io.orderhub.signature.WebhookSigner;
import io.orderhub.support.HubProcess;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The benchmarks' load: delivery-platform webhooks as each platform sends them, and own-channel orders of about
 * 2.5 KiB. DoorDash: its 3 KiB order webhook (golden sample, a fresh order id each) for brooklyn, with the bearer token
 * DoorDash sends. Uber Eats: its thin {@code orders.notification} for soho signed as Uber signs it (X-Uber-Signature,
 * hex HMAC-SHA256 of the body), after which the hub fetches the order (the adapter's UK pickup sample, served under the
 * same id by {@link LightVendorStubs}). {@code -Dbench.load.mix}: {@code mixed} (default: DoorDash, own channel, Uber
 * Eats, own channel, in turn: half the load webhooks), {@code webhooks} (DoorDash and Uber Eats in turn),
 * {@code doordash}, {@code ubereats} or {@code own-channel}.
 */
final class LoadMix {

    private static final String SAMPLE = "adapters/doordash/samples/delivery-asap-tip.input.json";
    private static final String SAMPLE_ORDER_ID = "3f2b9c1e-6d7a-4e58-9b0c-1a2d3e4f5a61";
    private static final String UBER_SAMPLE = "adapters/ubereats/samples/uk-pickup-nested-promo.input.json";
    /** The Uber Eats order the sample names; LightVendorStubs serves its fetched form under any id. */
    static final String UBER_SAMPLE_ORDER_ID = "3f6b2a9e-1c4d-4e8f-a0b7-5d9c8e1f2a3b";
    private static final String UBER_SAMPLE_EVENT_ID = "c4d1e6f0-5a2b-4c3d-9e8f-0a1b2c3d4e5f";

    private static final String MIX = System.getProperty("bench.load.mix", "mixed");

    enum Kind { DOORDASH, UBEREATS, OWN }

    private final String webhook;
    private final String token;
    private final String uberWebhook;
    private final String uberSecret;
    private final AdapterDescriptor.Signature uberSignature;

    LoadMix() throws IOException {
        webhook = Files.readString(Path.of(SAMPLE));
        uberWebhook = Files.readString(Path.of(UBER_SAMPLE));
        if (!webhook.contains(SAMPLE_ORDER_ID) || !uberWebhook.contains(UBER_SAMPLE_ORDER_ID)
                || !uberWebhook.contains(UBER_SAMPLE_EVENT_ID)) {
            throw new IllegalStateException(SAMPLE + " or " + UBER_SAMPLE + " no longer carries the ids replaced here");
        }
        JsonNode adapters = new ObjectMapper(new YAMLFactory()).readTree(Path.of("config/application-sandbox.yaml")
                .toFile()).path("orderhub").path("adapters");
        token = adapters.path("doordash").path("signing-secret").asText();
        uberSecret = adapters.path("ubereats").path("signing-secret").asText();
        uberSignature = AdapterRegistry.read(Path.of("adapters/ubereats/adapter.yaml")).signature();
    }

    /** Mean size of the request bodies this mix sends (for the broker's own limit with messages of that size). */
    int meanBytes() {
        int[] sizes = new int[4];
        for (int n = 0; n < sizes.length; n++) {
            sizes[n] = switch (kind(n)) {
                case DOORDASH -> webhook.length();
                case UBEREATS -> uberWebhook.length();
                case OWN -> ownOrder("size-probe").length();
            };
        }
        return java.util.Arrays.stream(sizes).sum() / sizes.length;
    }

    /** The payloads' sizes, for the report. */
    String sizes() {
        return String.format("DoorDash webhook %d bytes, Uber Eats webhook %d bytes (the fetched order %d), "
                + "own-channel order %d bytes", webhook.length(), uberWebhook.length(), LightVendorStubs.uberOrderBytes(),
                ownOrder("size-probe").length());
    }

    static String mix() {
        return MIX;
    }

    /** What request n of the load is. */
    static Kind kind(int n) {
        return switch (MIX) {
            case "mixed" -> switch (n % 4) {
                case 0 -> Kind.DOORDASH;
                case 2 -> Kind.UBEREATS;
                default -> Kind.OWN;
            };
            case "webhooks" -> n % 2 == 0 ? Kind.DOORDASH : Kind.UBEREATS;
            case "doordash" -> Kind.DOORDASH;
            case "ubereats" -> Kind.UBEREATS;
            case "own-channel" -> Kind.OWN;
            default -> throw new IllegalArgumentException(
                    "bench.load.mix must be mixed, webhooks, doordash, ubereats or own-channel");
        };
    }

    /** Request n of the load. */
    HttpRequest request(HubProcess hub, int n, String id) {
        return switch (kind(n)) {
            case DOORDASH -> HttpRequest.newBuilder(hub.uri("/webhooks/doordash")).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(webhook.replace(SAMPLE_ORDER_ID, id))).build();
            case UBEREATS -> {
                String body = uberWebhook.replace(UBER_SAMPLE_ORDER_ID, id)
                        .replace(UBER_SAMPLE_EVENT_ID, UUID.randomUUID().toString());
                // signed as the adapter's descriptor says Uber signs (X-Uber-Signature: hex HMAC-SHA256 of the body)
                Map<String, String> headers = new LinkedHashMap<>(WebhookSigner.sign(uberSignature.scheme(),
                        uberSignature.parameters(), uberSecret, body, null));
                HttpRequest.Builder b = HttpRequest.newBuilder(hub.uri("/webhooks/ubereats"))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json");
                headers.forEach(b::header);
                yield b.POST(HttpRequest.BodyPublishers.ofString(body)).build();
            }
            case OWN -> HttpRequest.newBuilder(hub.uri("/api/v1/orders")).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + HubProcess.DEMO_KEY).header("Content-Type", "application/json")
                    .header("Idempotency-Key", id)
                    .POST(HttpRequest.BodyPublishers.ofString(ownOrder(id))).build();
        };
    }

    /** The business key the hub stores for request n. */
    static String key(int n, String id) {
        return switch (kind(n)) {
            case DOORDASH -> "doordash:order:" + id;
            case UBEREATS -> "ubereats:order:" + id;
            case OWN -> "own-channel:demo-web:ext:bench-" + id;
        };
    }

    /** A family delivery order for brooklyn: eight lines, modifiers, notes, allergies, address (about 2.5 KiB). */
    static String ownOrder(String id) {
        StringBuilder lines = new StringBuilder();
        String[][] burgers = {{"medium", "cheddar", "no onions, extra pickles on the side please"},
            {"well-done", "bacon", "cut in half for a child"}, {"medium", "cheddar", "sauce on the side"},
            {"well-done", "bacon", "no tomato, lettuce wrapped instead of the bun if possible"}};
        for (String[] b : burgers) {
            lines.append(String.format("{\"itemId\": \"classic-burger\", \"quantity\": 1, \"unitPrice\": 1299, "
                    + "\"modifiers\": [{\"groupId\": \"doneness\", \"modifierId\": \"%s\", \"quantity\": 1, "
                    + "\"unitPrice\": 0}, {\"groupId\": \"extras\", \"modifierId\": \"%s\", \"quantity\": 1, "
                    + "\"unitPrice\": %d}], \"notes\": \"%s\", \"allergies\": [\"sesame\"]},%n", b[0], b[1],
                    "bacon".equals(b[1]) ? 200 : 150, b[2]));
        }
        lines.append("{\"itemId\": \"fries\", \"quantity\": 2, \"unitPrice\": 499, \"notes\": \"extra crispy\"},\n");
        lines.append("{\"itemId\": \"fries\", \"quantity\": 1, \"unitPrice\": 499, \"notes\": \"no salt\"},\n");
        lines.append("{\"itemId\": \"soda\", \"quantity\": 2, \"unitPrice\": 299},\n");
        lines.append("{\"itemId\": \"soda\", \"quantity\": 1, \"unitPrice\": 299, \"notes\": \"no ice\"}");
        return """
                {"channel": "app", "locationId": "brooklyn", "externalId": "bench-%s", "type": "delivery",
                 "currency": "USD",
                 "lines": [
                %s
                 ],
                 "tip": 600,
                 "notes": "Family order for the Hernandez birthday party: please pack the child's burger separately and \
                label it; we have two guests with sesame allergies, so keep the buns apart.",
                 "customer": {"name": "Grace Hernandez", "phone": "+1 718 555 0100", "email": "grace@example.com",
                              "marketingConsent": true},
                 "fulfilment": {"address": {"line1": "1 Main St, Apt 4B", "city": "Brooklyn", "postalCode": "11201",
                                "country": "US", "instructions": "Ring twice, the buzzer is broken; leave it with \
                the doorman if nobody answers within two minutes."}},
                 "allergies": ["sesame"]}
                """.formatted(id, lines);
    }

}
