package io.orderhub.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Which adapter a fuzz input is for, and the bytes it carries: {@code <adapter id>\n<bytes>}, or, without such a
 * first line, the adapter its first byte picks and the whole input. So regression inputs are readable, the fuzzer
 * reaches every adapter, and adapters added later are fuzzed without a change to the tests. The system property
 * {@code orderhub.fuzz.adapter} pins one adapter (for a long run on one vendor).
 */
public record FuzzTarget(String id, byte[] bytes) {

    /** The bytes as the webhook controller reads a body: UTF-8, malformed sequences replaced. */
    public String body() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Jazzer's SSRF detector (on when fuzzing) flags every network connection the code under test opens. Adapters
     * call their vendor, here a local sandbox, and the tests call the hub over loopback: those are allowed, and a
     * connection to any other host is still a finding.
     */
    public static com.code_intelligence.jazzer.api.SilentCloseable loopbackOnly() {
        return com.code_intelligence.jazzer.api.BugDetectors.allowNetworkConnections((host, port) ->
                host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1")
                        || host.equals("[::1]"));
    }

    public static FuzzTarget of(byte[] input, List<String> ids) {
        assertThat(ids).as("adapters to fuzz").isNotEmpty();
        int newline = -1;
        for (int i = 0; i < Math.min(input.length, 33); i++) {
            if (input[i] == '\n') {
                newline = i;
                break;
            }
        }
        String named = newline > 0 ? new String(input, 0, newline, StandardCharsets.US_ASCII) : null;
        boolean prefixed = named != null && ids.contains(named);
        byte[] rest = prefixed ? Arrays.copyOfRange(input, newline + 1, input.length) : input;
        String pinned = System.getProperty("orderhub.fuzz.adapter");
        String id;
        if (pinned != null && !pinned.isBlank()) {
            assertThat(ids).as("orderhub.fuzz.adapter").contains(pinned);
            id = pinned;
        } else if (prefixed) {
            id = named;
        } else {
            id = ids.get(input.length == 0 ? 0 : (input[0] & 0xff) % ids.size());
        }
        return new FuzzTarget(id, rest);
    }
}
