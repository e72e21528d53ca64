package io.orderhub.console;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), the codes authenticator apps
 * show for a base32 secret. Written here rather than taken from a library: it is forty lines over the JDK's HMAC,
 * and the candidate libraries on this registry bring QR-code and web dependencies the hub does not need.
 *
 * <p>Command line, for administrators: {@code java -cp <hub jar or target/classes> io.orderhub.console.Totp new}
 * prints a fresh secret; {@code ... Totp code <secret>} prints the current code.
 */
public final class Totp {

    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    public static final int STEP_SECONDS = 30;

    private Totp() {
    }

    /** The time step a moment falls in. */
    public static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
    }

    public static String code(String base32Secret, long step) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(decode(base32Secret), "HmacSHA1"));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8)
                    | (h[offset + 3] & 0xff);
            return String.format(Locale.ROOT, "%06d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    /**
     * The step whose code matches, allowing one step of clock drift either side; -1 when none does. Compared in
     * constant time.
     */
    public static long matchingStep(String base32Secret, String presented, Instant now) {
        if (presented == null || !presented.matches("\\d{6}")) {
            return -1;
        }
        long current = step(now);
        long found = -1;
        for (long s = current - 1; s <= current + 1; s++) {
            if (MessageDigest.isEqual(code(base32Secret, s).getBytes(), presented.getBytes())) {
                found = s;
            }
        }
        return found;
    }

    public static String newSecret() {
        byte[] bytes = new byte[20];
        new SecureRandom().nextBytes(bytes);
        return encode(bytes);
    }

    static byte[] decode(String base32) {
        String s = base32.replace("=", "").replace(" ", "").toUpperCase(Locale.ROOT);
        ByteBuffer out = ByteBuffer.allocate(s.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (char c : s.toCharArray()) {
            int v = BASE32.indexOf(c);
            if (v < 0) {
                throw new IllegalArgumentException("not a base32 secret");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.put((byte) (buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    static String encode(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("new")) {
            System.out.println(newSecret());
        } else if (args.length == 2 && args[0].equals("code")) {
            System.out.println(code(args[1], step(Instant.now())));
        } else if (args.length == 2 && args[0].equals("hash")) {
            System.out.println(org.springframework.security.crypto.factory.PasswordEncoderFactories
                    .createDelegatingPasswordEncoder().encode(args[1]));
        } else {
            System.err.println("usage: Totp new | Totp code <base32 secret> | Totp hash <password>");
            System.exit(2);
        }
    }
}
