package io.orderhub.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void generatedKeysParseAndOnlyTheirOwnSecretMatches() {
        String key = ApiKeys.generate("kiosk01");
        ApiKeys.Parsed parsed = ApiKeys.parse(key).orElseThrow();
        assertThat(parsed.keyId()).isEqualTo("kiosk01");
        String hash = ApiKeys.hash(parsed.secret());
        assertThat(hash).hasSize(64).doesNotContain(parsed.secret());
        assertThat(ApiKeys.matches(parsed.secret(), hash)).isTrue();
        assertThat(ApiKeys.matches(parsed.secret() + "x", hash)).isFalse();
        assertThat(parsed.toString()).doesNotContain(parsed.secret());
    }

    @Test
    void malformedKeysAreRefused() {
        assertThat(ApiKeys.parse("Bearer nonsense")).isEmpty();
        assertThat(ApiKeys.parse("ohk_x_short")).isEmpty();
        assertThat(ApiKeys.parse(null)).isEmpty();
    }
}
