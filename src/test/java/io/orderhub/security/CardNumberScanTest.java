package io.orderhub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scanner itself: it finds a planted card number however the bytes hold it, and leaves alone what masking leaves
 * alone. The numbers are built at run time (a Luhn check digit appended), so no test output or report holds one whole.
 */
class CardNumberScanTest {

    /** A Visa test number: 15 digits plus the check digit that makes it Luhn-valid. */
    private static final String CARD = withCheckDigit("411111111111111");
    private static final Path FILE = Path.of("planted");

    @Test
    void findsAPlantedNumberInAsciiWithItsOffsetAndMasked() {
        byte[] bytes = ("{\"note\":\"card " + CARD + " please\"}").getBytes(StandardCharsets.US_ASCII);
        List<CardNumberScan.Finding> found = CardNumberScan.scanBytes(FILE, bytes);
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.encoding()).isEqualTo(CardNumberScan.Encoding.SINGLE_BYTE);
            assertThat(f.offset()).isEqualTo(14);
            assertThat(f.masked()).isEqualTo("411111******1111");
        });
    }

    @Test
    void findsNumbersWithSeparatorsAsTheMaskerDoes() {
        String spaced = CARD.replaceAll("(\\d{4})(?=\\d)", "$1 ");
        String dashed = CARD.replaceAll("(\\d{4})(?=\\d)", "$1-");
        byte[] bytes = ("a " + spaced + " b " + dashed + " c").getBytes(StandardCharsets.UTF_8);
        assertThat(CardNumberScan.scanBytes(FILE, bytes)).extracting(CardNumberScan.Finding::offset)
                .containsExactly(2L, 2L + spaced.length() + 3);
    }

    @Test
    void findsAPlantedNumberInUtf16BothByteOrdersAndAlignments() {
        String text = "body: " + CARD + ".";
        for (var charset : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
            for (int pad = 0; pad < 2; pad++) {
                byte[] encoded = text.getBytes(charset);
                byte[] bytes = new byte[pad + encoded.length];
                System.arraycopy(encoded, 0, bytes, pad, encoded.length);
                List<CardNumberScan.Finding> found = CardNumberScan.scanBytes(FILE, bytes);
                int padding = pad;
                // the same bytes are also the other byte order one byte off: reported once, at its first digit
                long firstDigitByte = padding + 2L * "body: ".length() + (charset == StandardCharsets.UTF_16BE ? 1 : 0);
                assertThat(found).as(charset + ", " + pad + " byte(s) before").singleElement().satisfies(f -> {
                    assertThat(f.encoding()).isIn(CardNumberScan.Encoding.UTF_16LE, CardNumberScan.Encoding.UTF_16BE);
                    assertThat(f.offset() + (f.encoding() == CardNumberScan.Encoding.UTF_16BE ? 1 : 0))
                            .isEqualTo(firstDigitByte);
                    assertThat(f.masked()).isEqualTo("411111******1111");
                });
            }
        }
    }

    @Test
    void ignoresUuidsTimestampsHexIdsAndLuhnInvalidRuns() {
        String luhnInvalid = CARD.substring(0, 15) + ((CARD.charAt(15) - '0' + 1) % 10);
        // a UUID whose last group is a Luhn-valid 12-digit run glued by a hyphen to a Luhn-valid-looking prefix, an
        // epoch-ms timestamp (13 digits starting with 1), a hex id ending in the card's digits, a 20-digit run
        String text = String.join(" | ",
                "32217338-4495-4fab-8e2f-" + CARD.substring(4),
                "1767268800000",
                String.valueOf(System.currentTimeMillis()),
                "ab" + CARD,
                CARD + "x",
                CARD + "-7f",
                luhnInvalid,
                "9" + CARD.substring(1),
                CARD + "0000");
        for (var charset : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
            assertThat(CardNumberScan.scanBytes(FILE, text.getBytes(charset))).as(charset.name()).isEmpty();
            assertThat(CardNumberMasker.mask(text)).isEqualTo(text);
        }
    }

    @Test
    void readsAnH2DatabaseThroughH2AndFindsAnUnmaskedNumberInAnyTextColumn(@TempDir Path dir) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("db"),
                "orderhub", "")) {
            c.createStatement().execute("create table note (id int primary key, body varchar(200), data json)");
            c.createStatement().execute("insert into note values (1, 'card 4111 1111 1111 1111 at the till', "
                    + "null), (2, 'masked 411111******1111', json '{\"n\":\"nothing here\"}')");
        }
        List<CardNumberScan.Finding> found = CardNumberScan.scan(List.of(dir), p -> true);
        assertThat(found).hasSize(1);
        assertThat(found.get(0).toString()).contains("NOTE.BODY row 1").doesNotContain("4111 1111 1111 1111");
    }

    @Test
    void walksDirectoriesAndFindsANumberAcrossTheReadBoundaryOfALargeFile(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("journal").resolve("activemq-data-1.amq");
        Files.createDirectories(big.getParent());
        byte[] bytes = new byte[(8 << 20) + 1000];
        java.util.Arrays.fill(bytes, (byte) 'x');
        byte[] card = (" " + CARD + " ").getBytes(StandardCharsets.US_ASCII);
        int at = (8 << 20) - 5;
        System.arraycopy(card, 0, bytes, at, card.length);
        Files.write(big, bytes);
        Files.writeString(dir.resolve("clean.log"), "nothing here 1767268800000\n");
        List<CardNumberScan.Finding> found = CardNumberScan.scan(List.of(dir, dir.resolve("missing")), p -> true);
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.file()).isEqualTo(big);
            assertThat(f.offset()).isEqualTo(at + 1L);
        });
    }

    static String withCheckDigit(String fifteen) {
        for (int d = 0; d < 10; d++) {
            if (CardNumberMasker.luhn(fifteen + d)) {
                return fifteen + d;
            }
        }
        throw new IllegalStateException();
    }
}
