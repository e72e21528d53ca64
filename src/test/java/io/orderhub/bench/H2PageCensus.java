package io.orderhub.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.h2.engine.SessionLocal;
import org.h2.index.Index;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.table.Table;

/**
 * What the embedded database writes, by table and index, read from a stopped hub's H2 file: every chunk still in the
 * file (a chunk is one write of the file: every page its commits changed, each B-tree page from the changed leaf up
 * to the root, plus H2's own layout map of chunks) is walked page by page and its bytes are summed per map. Chunks
 * whose space was reused are gone, so this is a sample of the run's writes, the most recent ones, not their total;
 * shares and pages per chunk are what it tells. Reads the page headers of H2 2.x files (format 3): length, check, page
 * number, map id, key count, type. MVStoreTool's dump prints the same per chunk but stops at the first stale chunk
 * header it meets in a file that reuses space.
 */
final class H2PageCensus {

    private static final int BLOCK = 4096;

    private H2PageCensus() {
    }

    /** A table of the maps with the most bytes, with chunk count and sizes; {@code top} rows. */
    static String of(Path dbFile, int top) throws IOException, SQLException {
        Map<Integer, long[]> perMap = new HashMap<>(); // bytes, pages, node pages
        List<Long> chunkSizes = new ArrayList<>();
        try (FileChannel file = FileChannel.open(dbFile)) {
            ByteBuffer block = ByteBuffer.allocate(BLOCK);
            for (long pos = 2L * BLOCK; pos < file.size(); ) {
                block.clear();
                file.read(block, pos);
                Map<String, String> header = chunkHeader(block);
                long chunkBytes = header == null ? 0 : walk(file, pos, header, perMap);
                if (chunkBytes > 0) {
                    chunkSizes.add(chunkBytes);
                    pos += chunkBytes;
                } else {
                    pos += BLOCK;
                }
            }
        }
        Map<Integer, String> names = names(dbFile);
        long total = perMap.values().stream().mapToLong(v -> v[0]).sum();
        Collections.sort(chunkSizes);
        StringBuilder out = new StringBuilder(String.format("%d chunks in the file, %.0f MiB of pages; chunk size "
                        + "p50 %d KiB, p90 %d KiB%n%n| table.index (H2 map) | share of bytes | pages per chunk | "
                        + "of which inner nodes | bytes per page |%n|---|---|---|---|---|%n", chunkSizes.size(),
                total / 1048576.0, chunkSizes.isEmpty() ? 0 : chunkSizes.get(chunkSizes.size() / 2) / 1024,
                chunkSizes.isEmpty() ? 0 : chunkSizes.get(chunkSizes.size() * 9 / 10) / 1024));
        perMap.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(top)
                .forEach(e -> out.append(String.format("| %s | %.1f %% | %.1f | %.0f %% | %d |%n",
                        names.getOrDefault(e.getKey(), "map " + e.getKey()), 100.0 * e.getValue()[0] / total,
                        (double) e.getValue()[1] / Math.max(1, chunkSizes.size()),
                        100.0 * e.getValue()[2] / e.getValue()[1], e.getValue()[0] / e.getValue()[1])));
        return out.toString();
    }

    /** The header's fields if this block starts a chunk, else null. */
    private static Map<String, String> chunkHeader(ByteBuffer block) {
        byte[] bytes = block.array();
        if (block.position() < 64 || !new String(bytes, 0, 6, StandardCharsets.ISO_8859_1).equals("chunk:")) {
            return null;
        }
        int end = 0;
        while (end < BLOCK && bytes[end] != '\n') {
            end++;
        }
        Map<String, String> fields = new HashMap<>();
        for (String field : new String(bytes, 0, end, StandardCharsets.ISO_8859_1).trim().split(",")) {
            int colon = field.indexOf(':');
            if (colon > 0) {
                fields.put(field.substring(0, colon), field.substring(colon + 1));
            }
        }
        fields.put("pagesAt", Integer.toString(end + 1));
        return fields;
    }

    /** Adds the chunk's pages to the census; its length in bytes, or 0 when it does not parse (a stale header). */
    private static long walk(FileChannel file, long pos, Map<String, String> header, Map<Integer, long[]> perMap) {
        try {
            int blocks = Integer.parseInt(header.get("len"), 16);
            int pages = Integer.parseInt(header.get("pages"), 16);
            ByteBuffer chunk = ByteBuffer.allocate(blocks * BLOCK);
            file.read(chunk, pos);
            Map<Integer, long[]> found = new HashMap<>();
            int at = Integer.parseInt(header.get("pagesAt"));
            for (int i = 0; i < pages; i++) {
                chunk.position(at);
                int length = chunk.getInt();
                chunk.getShort();               // check
                varInt(chunk);                  // page number
                int map = varInt(chunk);
                varInt(chunk);                  // keys
                boolean node = (chunk.get() & 1) != 0;
                if (length <= 0 || at + length > chunk.capacity()) {
                    return 0;
                }
                long[] counts = found.computeIfAbsent(map, m -> new long[3]);
                counts[0] += length;
                counts[1]++;
                counts[2] += node ? 1 : 0;
                at += length;
            }
            found.forEach((map, counts) -> {
                long[] sum = perMap.computeIfAbsent(map, m -> new long[3]);
                for (int i = 0; i < 3; i++) {
                    sum[i] += counts[i];
                }
            });
            return (long) blocks * BLOCK;
        } catch (RuntimeException | IOException stale) {
            return 0;
        }
    }

    private static int varInt(ByteBuffer buffer) {
        int value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = buffer.get();
            value |= (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
    }

    /** Map id to "TABLE" or "TABLE.INDEX", from the store's own names and the database's objects. */
    private static Map<Integer, String> names(Path dbFile) throws SQLException {
        Map<Integer, String> mapNames = new HashMap<>();
        MVStore store = new MVStore.Builder().fileName(dbFile.toString()).readOnly().open();
        try {
            store.getMetaMap().forEach((key, value) -> {
                if (key.startsWith("name.")) {
                    mapNames.put(Integer.parseInt(value, 16), key.substring("name.".length()));
                }
            });
        } finally {
            store.close();
        }
        Map<String, String> objects = new HashMap<>();
        String url = "jdbc:h2:file:" + dbFile.toString().replaceFirst("\\.mv\\.db$", "");
        try (Connection c = DriverManager.getConnection(url, "orderhub", "")) {
            SessionLocal session = (SessionLocal) ((JdbcConnection) c).getSession();
            for (Table table : session.getDatabase().getAllTablesAndViews()) {
                objects.put("table." + table.getId(), table.getName());
                for (Index index : table.getIndexes()) {
                    objects.putIfAbsent("index." + index.getId(), table.getName() + "." + index.getName());
                }
            }
        }
        Map<Integer, String> names = new HashMap<>();
        mapNames.forEach((id, name) -> names.put(id, objects.getOrDefault(name, name)));
        names.putIfAbsent(0, "(chunk layout)");
        return names;
    }
}
