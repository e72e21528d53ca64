package io.orderhub.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Which target (an adapter, a signature scheme) a fuzz input is for, and the bytes it carries: {@code <id>\n<bytes>},
 * or, without such a first line, the target its first byte picks and the whole input. So regression inputs are
 * readable, the fuzzer reaches every target, and targets added later are fuzzed without a change to the tests. A
 * system property pins one target for a long run: {@code orderhub.fuzz.adapter} for the adapter-level tests.
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

    /** An adapter-level input: adapter ids, pinned by {@code orderhub.fuzz.adapter}. */
    public static FuzzTarget of(byte[] input, List<String> ids) {
        return of(input, ids, "orderhub.fuzz.adapter");
    }

    /** An input for one of {@code ids} (kept in a stable order: the first byte indexes it); the property pins one. */
    public static FuzzTarget of(byte[] input, List<String> ids, String pinProperty) {
        assertThat(ids).as("targets to fuzz").isNotEmpty();
        String named = named(input, ids).orElse(null);
        byte[] rest = named != null ? Arrays.copyOfRange(input, named.length() + 1, input.length) : input;
        String pinned = System.getProperty(pinProperty);
        String id;
        if (pinned != null && !pinned.isBlank()) {
            assertThat(ids).as(pinProperty).contains(pinned);
            id = pinned;
        } else if (named != null) {
            id = named;
        } else {
            id = ids.get(input.length == 0 ? 0 : (input[0] & 0xff) % ids.size());
        }
        return new FuzzTarget(id, rest);
    }

    /** The id an input's first line names, if it names one of {@code ids}. */
    public static java.util.Optional<String> named(byte[] input, List<String> ids) {
        int longest = ids.stream().mapToInt(String::length).max().orElse(0);
        for (int i = 1; i < Math.min(input.length, longest + 1); i++) {
            if (input[i] == '\n') {
                String first = new String(input, 0, i, StandardCharsets.US_ASCII);
                return ids.contains(first) ? java.util.Optional.of(first) : java.util.Optional.empty();
            }
        }
        return java.util.Optional.empty();
    }
}
