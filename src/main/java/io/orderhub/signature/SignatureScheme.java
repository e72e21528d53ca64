package io.orderhub.signature;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * One way vendors sign webhooks, implemented once and chosen by name in an adapter's descriptor. Every
 * implementation compares in constant time and, where the scheme carries a timestamp, enforces a tolerance.
 */
public interface SignatureScheme {

    /** The name an adapter descriptor uses, e.g. {@code hmac-sha256-hex}. */
    String name();

    /** Empty when the request is authentic, otherwise why not (for the log and the stored reason, never the vendor). */
    Optional<String> verify(SignedRequest request, Secret secret);

    /**
     * What a scheme may look at: the raw body bytes as received, headers by case-insensitive name, the URL the
     * vendor posted to (schemes that sign it), and the time of receipt.
     */
    record SignedRequest(byte[] body, Function<String, String> header, String url, Instant receivedAt) {
    }

    /** The shared secret (or token) from configuration, and the timestamp tolerance for schemes that have one. */
    record Secret(String value, Duration tolerance) {
        public Secret {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("a signature secret is required (from configuration or environment)");
            }
            tolerance = tolerance == null ? Duration.ofMinutes(5) : tolerance;
        }

        @Override
        public String toString() {
            return "Secret[****]";
        }
    }
}
