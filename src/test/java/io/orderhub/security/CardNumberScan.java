package io.orderhub.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Looks for card numbers where the hub keeps data: H2 database files, the Artemis journal, paging and large
 * messages, and logs. A card number is what {@link CardNumberMasker} masks (13-19 digits, optionally split by spaces
 * or dashes, starting 2-6, Luhn-valid, not glued or hyphen-joined to letters or digits), so a finding is a number
 * that reached storage or a log unmasked. Every file is read as bytes three ways: one byte a character (ASCII,
 * UTF-8, Latin-1 text) and two bytes a character, little- and big-endian, at both byte alignments (Artemis keeps
 * strings and text message bodies as UTF-16).
 * <p>
 * An H2 database file ({@code *.mv.db}) is read through H2 instead (every text, JSON and large-object value of every
 * table): its raw bytes also hold H2's own page positions, hex numbers that are sometimes all decimal digits and
 * Luhn-valid ({@code root:2820000260249}), which are not data.
 * <p>
 * {@code java -cp target/test-classes:target/classes io.orderhub.security.CardNumberScan DIR_OR_FILE...} prints the
 * findings (file, byte offset, encoding, masked number) and exits 1 when there are any. In {@code mvn verify}
 * {@code CardNumberScanIT} runs it after every other test.
 */
public final class CardNumberScan {

    /** How the bytes were read. */
    public enum Encoding {
        SINGLE_BYTE, UTF_16LE, UTF_16BE, H2_VALUE
    }

    /** A card number found: where, read how, and masked (the scan never prints a whole number). */
    public record Finding(Path file, long offset, Encoding encoding, String masked) {
        @Override
        public String toString() {
            return encoding == Encoding.H2_VALUE ? file + " (" + masked + ")"
                    : file + " @ byte " + offset + " (" + encoding + "): " + masked;
        }
    }

    /** Bytes read per step; a step overlaps the previous one so a number across a boundary is still seen. */
    private static final int CHUNK = 8 << 20;
    private static final int OVERLAP = 256;
    /** Characters kept on each side of a digit run when the masker's rule is applied to it. */
    private static final int CONTEXT = 4;

    private CardNumberScan() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: CardNumberScan DIR_OR_FILE...");
            System.exit(2);
        }
        List<Path> roots = Stream.of(args).map(Path::of).toList();
        List<Finding> findings = scan(roots, p -> true);
        findings.forEach(System.out::println);
        System.out.println(findings.size() + " card number(s) in " + roots);
        System.exit(findings.isEmpty() ? 0 : 1);
    }

    /** Every regular file under the roots (or the root itself, if a file) that {@code which} selects. */
    public static List<Finding> scan(List<Path> roots, java.util.function.Predicate<Path> which) throws IOException {
        List<Finding> findings = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> s = Files.walk(root)) {
                files = s.filter(Files::isRegularFile).filter(which).sorted().toList();
            }
            for (Path file : files) {
                findings.addAll(file.getFileName().toString().endsWith(".mv.db") ? scanH2(file) : scanFile(file));
            }
        }
        return findings;
    }

    /** Every character, JSON and large-object value of every table of a (stopped) H2 database, read-only. */
    public static List<Finding> scanH2(Path file) throws IOException {
        String name = file.toAbsolutePath().toString();
        String url = "jdbc:h2:file:" + name.substring(0, name.length() - ".mv.db".length()) + ";ACCESS_MODE_DATA=r";
        Set<Finding> found = new LinkedHashSet<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "orderhub", "")) {
            List<String[]> columns = new ArrayList<>();
            try (java.sql.ResultSet rs = c.createStatement().executeQuery("select table_schema, table_name, "
                    + "column_name from information_schema.columns where table_schema <> 'INFORMATION_SCHEMA' and "
                    + "(data_type like '%CHAR%' or data_type like '%CLOB%' or data_type = 'JSON')")) {
                while (rs.next()) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            for (String[] col : columns) {
                String sql = "select \"" + col[2] + "\" from \"" + col[0] + "\".\"" + col[1] + "\"";
                try (java.sql.ResultSet rs = c.createStatement().executeQuery(sql)) {
                    long row = 0;
                    while (rs.next()) {
                        row++;
                        String value = rs.getString(1);
                        if (value == null) {
                            continue;
                        }
                        for (CardNumberMasker.Found f : CardNumberMasker.find(value)) {
                            found.add(new Finding(file, row, Encoding.H2_VALUE, col[1] + "." + col[2] + " row "
                                    + row + ": " + f.masked()));
                        }
                    }
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IOException("cannot read the H2 database " + file + ": " + e.getMessage(), e);
        }
        return new ArrayList<>(found);
    }

    public static List<Finding> scanFile(Path file) throws IOException {
        Set<Finding> found = new LinkedHashSet<>();
        byte[] buffer = new byte[CHUNK + OVERLAP];
        try (InputStream in = Files.newInputStream(file)) {
            long base = 0;
            int kept = 0;
            while (true) {
                int n = in.readNBytes(buffer, kept, CHUNK);
                int length = kept + n;
                if (length == 0 || n == 0 && base > 0) {
                    break;
                }
                scanBytes(file, buffer, length, base, found);
                if (n < CHUNK) {
                    break;
                }
                kept = Math.min(OVERLAP, length);
                System.arraycopy(buffer, length - kept, buffer, 0, kept);
                base += length - kept;
            }
        }
        return new ArrayList<>(found);
    }

    /** The card numbers in some bytes, read each way; offsets are of the first byte of the number. */
    public static List<Finding> scanBytes(Path file, byte[] bytes) {
        Set<Finding> found = new LinkedHashSet<>();
        scanBytes(file, bytes, bytes.length, 0, found);
        return new ArrayList<>(found);
    }

    private static void scanBytes(Path file, byte[] bytes, int length, long base, Set<Finding> found) {
        scanView(file, new View(bytes, length, Encoding.SINGLE_BYTE, 0), base, found);
        // ASCII digits in UTF-16 read the same little-endian at one alignment and big-endian at the other, one byte
        // apart: a number is reported once, by the byte offset of its first digit's non-zero byte
        Set<Finding> wide = new LinkedHashSet<>();
        for (int alignment = 0; alignment < 2; alignment++) {
            scanView(file, new View(bytes, length, Encoding.UTF_16LE, alignment), base, wide);
            scanView(file, new View(bytes, length, Encoding.UTF_16BE, alignment), base, wide);
        }
        Set<String> seen = new java.util.HashSet<>();
        for (Finding f : wide) {
            long digitByte = f.encoding() == Encoding.UTF_16BE ? f.offset() + 1 : f.offset();
            if (seen.add(digitByte + ":" + f.masked())) {
                found.add(f);
            }
        }
    }

    /**
     * A cheap pass finds runs of digits (with the separators a card number may hold) that have at least 13
     * digits; the masker's own rule then decides on the run with a few characters around it.
     */
    private static void scanView(Path file, View text, long base, Set<Finding> found) {
        int n = text.length();
        int runStart = -1;
        int digits = 0;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? text.charAt(i) : '\0';
            boolean digit = c >= '0' && c <= '9';
            if (digit || runStart >= 0 && (c == ' ' || c == '-')) {
                if (runStart < 0) {
                    runStart = i;
                }
                if (digit) {
                    digits++;
                }
                continue;
            }
            if (runStart >= 0 && digits >= 13) {
                int from = Math.max(0, runStart - CONTEXT);
                int to = Math.min(n, i + CONTEXT);
                String window = text.subSequence(from, to).toString();
                for (CardNumberMasker.Found f : CardNumberMasker.find(window)) {
                    found.add(new Finding(file, base + text.byteOffset(from + f.start()), text.encoding,
                            f.masked()));
                }
            }
            runStart = -1;
            digits = 0;
        }
    }

    /** Bytes seen as characters: one byte each, or two (LE/BE) starting at an alignment of 0 or 1. */
    static final class View implements CharSequence {
        private final byte[] bytes;
        private final int length;
        private final Encoding encoding;
        private final int alignment;

        View(byte[] bytes, int byteLength, Encoding encoding, int alignment) {
            this.bytes = bytes;
            this.encoding = encoding;
            this.alignment = alignment;
            this.length = encoding == Encoding.SINGLE_BYTE ? byteLength : Math.max(0, (byteLength - alignment) / 2);
        }

        long byteOffset(int index) {
            return encoding == Encoding.SINGLE_BYTE ? index : alignment + 2L * index;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            return switch (encoding) {
                case SINGLE_BYTE -> (char) (bytes[index] & 0xff);
                case UTF_16LE -> (char) ((bytes[alignment + 2 * index] & 0xff)
                        | (bytes[alignment + 2 * index + 1] & 0xff) << 8);
                case UTF_16BE -> (char) ((bytes[alignment + 2 * index] & 0xff) << 8
                        | (bytes[alignment + 2 * index + 1] & 0xff));
                case H2_VALUE -> throw new IllegalStateException("database values are read through H2");
            };
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            StringBuilder b = new StringBuilder(end - start);
            for (int i = start; i < end; i++) {
                b.append(charAt(i));
            }
            return b.toString();
        }

        @Override
        public String toString() {
            return subSequence(0, length).toString();
        }
    }
}
