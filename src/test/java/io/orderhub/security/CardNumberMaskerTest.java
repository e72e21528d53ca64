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

    @Test
    void leavesIdentifiersThatContainLuhnValidRunsIntact() {
        // both UUIDs hold a Luhn-valid 13-digit run across their first dashes; masking them broke replays
        String ids = "{\"orderId\":\"32217338-4495-4fab-9a1b-b51c06842a62\","
                + "\"eventId\":\"0d643395-8703-461f-b045-cf7a924d4212\","
                + "\"ref\":\"aaaaaaaa-4111-1111-1111-111111111111\",\"hex\":\"ff4111111111111111\","
                + "\"placedAtMs\":1700000000004}";
        assertThat(CardNumberMasker.luhn("3221733844954")).isTrue();
        assertThat(CardNumberMasker.luhn("1700000000004")).isTrue();
        assertThat(CardNumberMasker.mask(ids)).isEqualTo(ids);
        assertThat(CardNumberMasker.mask("[\"4111111111111111\", 4111-1111-1111-1111]"))
                .isEqualTo("[\"411111******1111\", 411111******1111]");
    }

    @Test
    void theQuickPassNeverSkipsATextThePatternWouldMatch() {
        // random texts of digits, separators and token characters: whenever the quick pass says "no run of 13
        // digits", the pattern must find no candidate either (else skipping it would leave a card number unmasked)
        java.util.Random random = new java.util.Random(20261124);
        String alphabet = "0123456789012345678901234567890123456789 - -aZ_:\"";
        int skipped = 0;
        for (int i = 0; i < 50_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = 13 + random.nextInt(40);
            for (int c = 0; c < length; c++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (random.nextInt(4) == 0) {
                String card = random.nextBoolean() ? "4111 1111-1111 1111" : "5500000000000004";
                text.insert(random.nextInt(text.length()), card);
            }
            if (!CardNumberMasker.hasLongDigitRun(text)) {
                skipped++;
                assertThat(CardNumberMasker.CANDIDATE.matcher(text).find()).as(text.toString()).isFalse();
            }
        }
        assertThat(skipped).as("the quick pass does skip texts").isGreaterThan(10_000);
        assertThat(CardNumberMasker.hasLongDigitRun("4111 1111-1111 1")).isTrue();
        assertThat(CardNumberMasker.hasLongDigitRun("4111  1111 1111 1111")).as("two separators end a run").isFalse();
    }
}
