package io.orderhub.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API keys look like {@code ohk_<key id>_<secret>}. The key id finds the client; only SHA-256 of the secret is
 * stored. A fast hash is right here because the secret is 256 random bits, not a password a person chose.
 */
public final class ApiKeys {

    private static final Pattern FORMAT = Pattern.compile("ohk_([a-z0-9]{4,32})_([A-Za-z0-9_-]{20,128})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    public record Parsed(String keyId, String secret) {
        @Override
        public String toString() {
            return "ApiKey[" + keyId + "]";
        }
    }

    public static Optional<Parsed> parse(String key) {
        if (key == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(key.trim());
        return m.matches() ? Optional.of(new Parsed(m.group(1), m.group(2))) : Optional.empty();
    }

    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean matches(String secret, String storedHash) {
        return MessageDigest.isEqual(hash(secret).getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    /** A new key for a client: give it to the client once, store only {@link #hash} of its secret. */
    public static String generate(String keyId) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return "ohk_" + keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }
}
