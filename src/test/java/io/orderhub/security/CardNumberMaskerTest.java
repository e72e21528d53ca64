package io.orderhub.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CardNumberMaskerTest {

    @Test
    void masksLuhnValidCardNumbersKeepingFirstSixAndLastFour() {
        assertThat(CardNumberMasker.mask("{\"note\":\"card 4111111111111111 please\"}"))
                .isEqualTo("{\"note\":\"card 411111******1111 please\"}");
        assertThat(CardNumberMasker.mask("4111 1111 1111 1111")).isEqualTo("411111******1111");
        assertThat(CardNumberMasker.mask("5500-0000-0000-0004")).isEqualTo("550000******0004");
        assertThat(CardNumberMasker.mask("378282246310005")).isEqualTo("378282*****0005");
    }

    @Test
    void leavesOtherDigitRunsAlone() {
        String phoneAndIds = "{\"phone\":\"+44 20 7946 0000\",\"id\":\"1234567890123\",\"ts\":1700000000000}";
        assertThat(CardNumberMasker.mask(phoneAndIds)).isEqualTo(phoneAndIds);
        assertThat(CardNumberMasker.mask("4111111111111112")).isEqualTo("4111111111111112");
        assertThat(CardNumberMasker.mask(null)).isNull();
    }
}
