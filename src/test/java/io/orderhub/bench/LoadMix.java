package io.orderhub.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.orderhub.support.HubProcess;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The benchmarks' load for brooklyn (POS: Square): signed DoorDash order webhooks (the adapter's 3 KiB golden sample
 * with a fresh order id) and own-channel orders of about 2.2 KiB. {@code -Dbench.load.mix}: {@code mixed} (default,
 * alternating), {@code webhooks} or {@code own-channel}.
 */
final class LoadMix {

    private static final String SAMPLE = "adapters/doordash/samples/delivery-asap-tip.input.json";
    private static final String SAMPLE_ORDER_ID = "3f2b9c1e-6d7a-4e58-9b0c-1a2d3e4f5a61";

    private static final String MIX = System.getProperty("bench.load.mix", "mixed");

    private final String webhook;
    private final String token;

    LoadMix() throws IOException {
        webhook = Files.readString(Path.of(SAMPLE));
        if (!webhook.contains(SAMPLE_ORDER_ID)) {
            throw new IllegalStateException(SAMPLE + " no longer carries order id " + SAMPLE_ORDER_ID);
        }
        token = new ObjectMapper(new YAMLFactory()).readTree(Path.of("config/application-sandbox.yaml").toFile())
                .path("orderhub").path("adapters").path("doordash").path("signing-secret").asText();
    }

    int webhookBytes() {
        return webhook.length();
    }

    static String mix() {
        return MIX;
    }

    /** Whether request n is a webhook (mixed: the even ones). */
    private static boolean webhook(int n) {
        return switch (MIX) {
            case "webhooks" -> true;
            case "own-channel" -> false;
            case "mixed" -> n % 2 == 0;
            default -> throw new IllegalArgumentException("bench.load.mix must be mixed, webhooks or own-channel");
        };
    }

    /** Request n of the load. */
    HttpRequest request(HubProcess hub, int n, String id) {
        if (webhook(n)) {
            return HttpRequest.newBuilder(hub.uri("/webhooks/doordash")).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(webhook.replace(SAMPLE_ORDER_ID, id))).build();
        }
        return HttpRequest.newBuilder(hub.uri("/api/v1/orders")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + HubProcess.DEMO_KEY).header("Content-Type", "application/json")
                .header("Idempotency-Key", id)
                .POST(HttpRequest.BodyPublishers.ofString(ownOrder(id))).build();
    }

    /** The business key the hub stores for request n. */
    static String key(int n, String id) {
        return webhook(n) ? "doordash:order:" + id : "own-channel:demo-web:ext:bench-" + id;
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
