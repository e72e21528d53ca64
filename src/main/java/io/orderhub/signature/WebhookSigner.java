package io.orderhub.signature;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook the way each vendor does, for the sandboxes' demo traffic and for tests: the headers for a scheme
 * kind, its parameters and the secret. Written apart from the verifiers in {@link Schemes} (SignatureSchemesTest
 * checks those against independently computed vectors), so a signed test webhook checks one against the other.
 */
public final class WebhookSigner {

    private WebhookSigner() {
    }

    public static Map<String, String> sign(String kind, Map<String, String> params, String secret, String body,
                                           String url) {
        Map<String, String> headers = new LinkedHashMap<>();
        String t = String.valueOf(Instant.now().getEpochSecond());
        switch (kind) {
            case "hmac-sha256-hex-body" -> headers.put(params.get("header"), hex(hmac(secret, body)));
            case "hmac-sha256-base64-body" -> headers.put(params.get("header"), b64(hmac(secret, body)));
            case "hmac-sha256-hex-guid-body" -> {
                String guid = UUID.randomUUID().toString();
                headers.put(params.get("guid-header"), guid);
                headers.put(params.get("header"), hex(hmac(secret, guid + params.getOrDefault("separator", " ")
                        + body)));
            }
            case "hmac-sha256-base64-url-body" -> headers.put(params.get("header"), b64(hmac(secret, url + body)));
            case "hmac-sha256-base64-body-timestamp" -> {
                String source = params.get("timestamp-source");
                String timestamp;
                if (source.startsWith("header:")) {
                    timestamp = Instant.now().toString();
                    headers.put(source.substring("header:".length()), timestamp);
                } else {
                    timestamp = bodyField(body, source.substring("body:".length()));
                }
                headers.put(params.get("header"), b64(hmac(secret, body + timestamp)));
            }
            case "timestamped-hmac-sha256" -> headers.put(params.get("header"), "t=" + t + ",v1="
                    + hex(hmac(secret, t + "." + body)));
            case "bearer-token" -> headers.put("Authorization", "Bearer " + secret);
            case "static-header-token" -> headers.put(params.get("header"), secret);
            case "standard-webhooks" -> headers.putAll(standardWebhooks("msg_" + UUID.randomUUID(),
                    Long.parseLong(t), secret, body));
            default -> throw new IllegalArgumentException("no test signer for " + kind);
        }
        return headers;
    }

    /**
     * Standard Webhooks headers for one attempt of a message: {@code id} stays the same across retries (the
     * receiver's idempotency key), {@code timestamp} (unix seconds) is the attempt's; the signature is
     * {@code v1,base64(HMAC-SHA256(base64-decoded secret without "whsec_", id.timestamp.body))}. Used by the hub's
     * own outbound webhooks too.
     *
     * @throws IllegalArgumentException when the secret is not base64 (with or without "whsec_")
     */
    public static Map<String, String> standardWebhooks(String id, long timestamp, String secret, String body) {
        byte[] key = Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", String.valueOf(timestamp));
        headers.put("webhook-signature", "v1," + b64(hmac(key, id + "." + timestamp + "." + body)));
        return headers;
    }

    /** A top-level text field of a JSON body as the sender put it there; "" when there is none. */
    private static String bodyField(String body, String field) {
        try {
            com.fasterxml.jackson.databind.JsonNode value = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(body).get(field);
            return value != null && value.isTextual() ? value.textValue() : "";
        } catch (Exception notJson) {
            return "";
        }
    }

    private static byte[] hmac(String key, String data) {
        return hmac(key.getBytes(StandardCharsets.UTF_8), data);
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
