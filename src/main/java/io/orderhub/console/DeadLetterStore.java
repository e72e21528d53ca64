package io.orderhub.console;

import io.orderhub.database.Ids;
import io.orderhub.support.Text;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The dead letters as the console sees them: one row per failed message, written as the message goes to its
 * stage's dead-letter queue (the broker keeps the message itself in {@code DLQ.<queue>}). Filtered and paged
 * here, in the database, so a list of 100k entries stays fast; replays and discards change the row's state.
 */
@Repository
public class DeadLetterStore {

    public static final String OPEN = "OPEN";
    public static final String REPLAYED = "REPLAYED";
    public static final String DISCARDED = "DISCARDED";

    private static final String COLUMNS = "id, queue, stage, source, location_id, order_id, event_type, error_class, "
            + "reason, attempts, replays, first_failure_at, last_failure_at, state, state_changed_at, state_changed_by";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public DeadLetterStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** What is known of a message as it is dead-lettered. */
    public record Failed(String messageKey, String queue, String stage, String source, String locationId,
                         UUID orderId, String eventType, String errorClass, String reason, int attempts,
                         Instant firstFailureAt, Instant lastFailureAt, String contentType, String headers,
                         String payload) {
    }

    public record Entry(UUID id, String queue, String stage, String source, String locationId, UUID orderId,
                        String eventType, String errorClass, String reason, int attempts, int replays,
                        Instant firstFailureAt, Instant lastFailureAt, String state, Instant stateChangedAt,
                        String stateChangedBy) {
    }

    public record Detail(Entry entry, String contentType, String headers, String payload) {
    }

    /** Filters of the list; null or blank fields do not filter. */
    public record Filter(String state, String source, String location, String stage, String errorClass,
                         Instant from, Instant to) {

        public static Filter open() {
            return new Filter(OPEN, null, null, null, null, null, null);
        }
    }

    public record Page(List<Entry> items, long total) {
    }

    /**
     * Records a dead letter, in its own transaction (the broker's transaction moving the message commits after).
     * The same message failing again (after a replay, or redelivered after a crash) reopens its row.
     *
     * @return the row's id, which the dead letter carries as a header
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public UUID record(Failed f) {
        Timestamp now = Timestamp.from(Instant.now(clock));
        Optional<UUID> existing = idOf(f.messageKey());
        if (existing.isPresent()) {
            update(existing.get(), f, now);
            return existing.get();
        }
        UUID id = Ids.next();
        try {
            jdbc.update("insert into dead_letter (id, message_key, queue, stage, source, location_id, order_id, "
                            + "event_type, error_class, error_name, reason, attempts, replays, first_failure_at, "
                            + "last_failure_at, state, state_changed_at, state_changed_by, content_type, headers, "
                            + "payload) values (?,?,?,?,?,?,?,?,?,?,?,?,0,?,?,?,?,?,?,?,?)",
                    id, Text.clip(f.messageKey(), 400), f.queue(), f.stage(), f.source(), f.locationId(), f.orderId(),
                    f.eventType(), Text.clip(f.errorClass(), 300), errorName(f.errorClass()), Text.clip(f.reason(), Text.COLUMN), f.attempts(),
                    Timestamp.from(f.firstFailureAt()), Timestamp.from(f.lastFailureAt()), OPEN, now, "hub",
                    f.contentType(), Text.clip(f.headers(), 8000), f.payload());
            return id;
        } catch (DuplicateKeyException raced) {
            UUID id2 = idOf(f.messageKey()).orElseThrow();
            update(id2, f, now);
            return id2;
        }
    }

    private void update(UUID id, Failed f, Timestamp now) {
        jdbc.update("update dead_letter set queue = ?, stage = ?, error_class = ?, error_name = ?, reason = ?, "
                        + "attempts = ?, last_failure_at = ?, state = ?, state_changed_at = ?, state_changed_by = ?, "
                        + "headers = ?, payload = ? where id = ?",
                f.queue(), f.stage(), Text.clip(f.errorClass(), 300), errorName(f.errorClass()), Text.clip(f.reason(), Text.COLUMN), f.attempts(),
                Timestamp.from(f.lastFailureAt()), OPEN, now, "hub", Text.clip(f.headers(), 8000), f.payload(), id);
    }

    private Optional<UUID> idOf(String messageKey) {
        return jdbc.query("select id from dead_letter where message_key = ?",
                (rs, n) -> rs.getObject(1, UUID.class), Text.clip(messageKey, 400)).stream().findFirst();
    }

    public Page page(Filter filter, int page, int size) {
        List<Object> args = new ArrayList<>();
        String where = where(filter, args);
        Long total = jdbc.queryForObject("select count(*) from dead_letter" + where, Long.class, args.toArray());
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(size);
        pageArgs.add((long) page * size);
        // the page's ids first, from an index alone (V4__dead_letter_list_indexes.sql), then those rows
        List<UUID> ids = jdbc.query("select id from dead_letter" + where
                + " order by last_failure_at desc, id desc limit ? offset ?", (rs, n) -> rs.getObject(1, UUID.class),
                pageArgs.toArray());
        if (ids.isEmpty()) {
            return new Page(List.of(), total == null ? 0 : total);
        }
        java.util.Map<UUID, Entry> rows = new java.util.HashMap<>();
        jdbc.query("select " + COLUMNS + " from dead_letter where id in ("
                + String.join(",", java.util.Collections.nCopies(ids.size(), "?")) + ")",
                rs -> {
                    Entry e = entry(rs, 0);
                    rows.put(e.id(), e);
                }, ids.toArray());
        List<Entry> items = ids.stream().map(rows::get).filter(java.util.Objects::nonNull).toList();
        return new Page(items, total == null ? 0 : total);
    }

    /** Ids of the open dead letters matching the filter, oldest failure first (bulk replay), at most {@code max}. */
    public List<UUID> openIds(Filter filter, int max) {
        Filter open = new Filter(OPEN, filter.source(), filter.location(), filter.stage(), filter.errorClass(),
                filter.from(), filter.to());
        List<Object> args = new ArrayList<>();
        String where = where(open, args);
        args.add(max);
        return jdbc.query("select id from dead_letter" + where + " order by last_failure_at, id limit ?",
                (rs, n) -> rs.getObject(1, UUID.class), args.toArray());
    }

    public Optional<Detail> find(UUID id) {
        return jdbc.query("select " + COLUMNS + ", content_type, headers, payload from dead_letter where id = ?",
                (rs, n) -> new Detail(ENTRY.mapRow(rs, n), rs.getString("content_type"), rs.getString("headers"),
                        rs.getString("payload")), id).stream().findFirst();
    }

    /**
     * Moves an open dead letter to {@code state}; false when it was not open any more (another operator, or a
     * bulk job, got there first). {@code payload}, when given, replaces the stored one (an edited replay).
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public boolean close(UUID id, String state, String actor, String payload) {
        Timestamp now = Timestamp.from(Instant.now(clock));
        String replays = REPLAYED.equals(state) ? "replays + 1" : "replays";
        if (payload != null) {
            return jdbc.update("update dead_letter set state = ?, state_changed_at = ?, state_changed_by = ?, "
                    + "replays = " + replays + ", payload = ? where id = ? and state = ?",
                    state, now, actor, payload, id, OPEN) == 1;
        }
        return jdbc.update("update dead_letter set state = ?, state_changed_at = ?, state_changed_by = ?, "
                + "replays = " + replays + " where id = ? and state = ?", state, now, actor, id, OPEN) == 1;
    }

    /** Undoes {@link #close} when the replay could not be sent (broker refused): the entry is open again. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void reopen(UUID id, String why) {
        jdbc.update("update dead_letter set state = ?, replays = case when replays > 0 then replays - 1 else 0 end, "
                + "reason = ? where id = ?", OPEN, Text.clip(why, Text.COLUMN), id);
    }

    /** Open dead letters per source and per location, for the health view. */
    public List<Count> openCounts() {
        return jdbc.query("select source, location_id, stage, count(*) from dead_letter where state = ? "
                        + "group by source, location_id, stage",
                (rs, n) -> new Count(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)), OPEN);
    }

    public record Count(String source, String locationId, String stage, long count) {
    }

    private static String where(Filter f, List<Object> args) {
        StringBuilder w = new StringBuilder();
        add(w, args, "state = ?", f.state());
        add(w, args, "source = ?", f.source());
        add(w, args, "location_id = ?", f.location());
        add(w, args, "stage = ?", f.stage());
        if (f.errorClass() != null && !f.errorClass().isBlank()) {
            add(w, args, "error_name like ?", errorName(f.errorClass().trim()).replace("%", "").replace("_", "\\_")
                    + "%");
        }
        if (f.from() != null) {
            add(w, args, "last_failure_at >= ?", Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            add(w, args, "last_failure_at < ?", Timestamp.from(f.to()));
        }
        return w.toString();
    }

    /**
     * The indexed form of an error class: its simple name in lower case ({@code io.orderhub.pipeline.PermanentFailure}
     * -> {@code permanentfailure}). The console's filter is a prefix of it, or a whole class name.
     */
    static String errorName(String errorClass) {
        String simple = errorClass.substring(Math.max(errorClass.lastIndexOf('.'), errorClass.lastIndexOf('$')) + 1);
        return Text.clip(simple.toLowerCase(java.util.Locale.ROOT), 200);
    }

    private static void add(StringBuilder w, List<Object> args, String clause, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            return;
        }
        w.append(w.isEmpty() ? " where " : " and ").append(clause);
        args.add(value);
    }

    private static final RowMapper<Entry> ENTRY = DeadLetterStore::entry;

    private static Entry entry(ResultSet rs, int n) throws SQLException {
        return new Entry(rs.getObject("id", UUID.class), rs.getString("queue"), rs.getString("stage"),
                rs.getString("source"), rs.getString("location_id"), rs.getObject("order_id", UUID.class),
                rs.getString("event_type"), rs.getString("error_class"), rs.getString("reason"), rs.getInt("attempts"),
                rs.getInt("replays"), rs.getTimestamp("first_failure_at").toInstant(),
                rs.getTimestamp("last_failure_at").toInstant(), rs.getString("state"),
                rs.getTimestamp("state_changed_at").toInstant(), rs.getString("state_changed_by"));
    }
}
