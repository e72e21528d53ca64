package io.orderhub.signature;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC and constant-time comparison, shared by the schemes. */
final class Hmac {

    private Hmac() {
    }

    static byte[] sha256(byte[] key, byte[]... parts) {
        return mac("HmacSHA256", key, parts);
    }

    static byte[] mac(String algorithm, byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Constant-time equality of two texts (signatures as sent and as computed). */
    static boolean same(String expected, String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(utf8(expected), utf8(presented.trim()));
    }
}
