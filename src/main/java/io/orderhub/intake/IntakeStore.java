package io.orderhub.intake;

import io.orderhub.intake.IntakeRecord.IntakeState;
import io.orderhub.order.Timeline;
import io.orderhub.security.CardNumberMasker;
import io.orderhub.support.Text;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Durable store of inbound payloads. A payload is committed here before the sender is answered, so an answered
 * order is never lost; card-number-like digits are masked before anything is written.
 */
@Repository
public class IntakeStore {

    private static final String COLUMNS = "id, source, client_id, idempotency_key, fingerprint, business_key, "
            + "location_id, channel, content_type, payload, state, reason, order_id, correlation_id, received_at, "
            + "processed_at";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Timeline timeline;
    private final Clock clock;

    public IntakeStore(JdbcTemplate jdbc, TransactionTemplate tx, Timeline timeline, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.timeline = timeline;
        this.clock = clock;
    }

    /** What {@link #receive} found: a new intake, the original one for a repeated key, or a conflicting reuse. */
    public sealed interface Outcome permits Fresh, Replay, KeyReused {
        IntakeRecord record();
    }

    public record Fresh(IntakeRecord record) implements Outcome {
    }

    public record Replay(IntakeRecord record) implements Outcome {
    }

    public record KeyReused(IntakeRecord record) implements Outcome {
    }

    /**
     * Stores a payload under (client, idempotency key). The unique constraint decides between concurrent
     * requests with the same key: one inserts, the others find its row.
     */
    public Outcome receive(IntakeRecord candidate) {
        IntakeRecord masked = new IntakeRecord(candidate.id(), candidate.source(), candidate.clientId(),
                candidate.idempotencyKey(), candidate.fingerprint(), candidate.businessKey(), candidate.locationId(),
                candidate.channel(), candidate.contentType(), CardNumberMasker.mask(candidate.payload()),
                IntakeState.RECEIVED, null, null, candidate.correlationId(), Instant.now(clock), null);
        for (int attempt = 0; ; attempt++) {
            if (masked.idempotencyKey() != null) {
                Optional<IntakeRecord> existing = findByKey(masked.clientId(), masked.idempotencyKey());
                if (existing.isPresent()) {
                    IntakeRecord found = existing.get();
                    return found.fingerprint().equals(masked.fingerprint()) ? new Replay(found) : new KeyReused(found);
                }
            }
            try {
                tx.executeWithoutResult(s -> {
                    insert(masked);
                    timeline.record(masked.id(), "received", "intake", masked.source(),
                            masked.contentType() + ", " + masked.payload().length() + " chars");
                });
                return new Fresh(masked);
            } catch (DuplicateKeyException raced) {
                if (attempt >= 3) {
                    throw raced;
                }
            }
        }
    }

    private void insert(IntakeRecord r) {
        jdbc.update("insert into intake (" + COLUMNS + ") values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                r.id(), r.source(), r.clientId(), r.idempotencyKey(), r.fingerprint(), r.businessKey(), r.locationId(),
                r.channel(), r.contentType(), r.payload(), r.state().name(), r.reason(), r.orderId(),
                r.correlationId(), Timestamp.from(r.receivedAt()), null);
    }

    public Optional<IntakeRecord> find(UUID id) {
        return jdbc.query("select " + COLUMNS + " from intake where id = ?", MAPPER, id).stream().findFirst();
    }

    public Optional<IntakeRecord> findByKey(String clientId, String idempotencyKey) {
        return jdbc.query("select " + COLUMNS + " from intake where client_id = ? and idempotency_key = ?", MAPPER,
                clientId, idempotencyKey).stream().findFirst();
    }

    /** Intakes a crash may have left unqueued: still RECEIVED after {@code olderThan}, re-queued fewer than max times. */
    public List<IntakeRecord> stillReceived(Instant olderThan, int maxRequeues, int limit) {
        return jdbc.query("select " + COLUMNS + " from intake where state = 'RECEIVED' and received_at < ? "
                + "and requeued < ? order by received_at fetch first " + limit + " rows only", MAPPER,
                Timestamp.from(olderThan), maxRequeues);
    }

    /** Intakes re-queued max times that still have no outcome: they will not be tried again by themselves. */
    public int failStranded(Instant olderThan, int maxRequeues) {
        return jdbc.update("update intake set state = 'FAILED', processed_at = ?, reason = ? where state = 'RECEIVED' "
                + "and received_at < ? and requeued >= ?", Timestamp.from(Instant.now(clock)),
                "re-queued " + maxRequeues + " times without an outcome; see the dead-letter queues and the log",
                Timestamp.from(olderThan), maxRequeues);
    }

    public void countRequeue(UUID intakeId) {
        jdbc.update("update intake set requeued = requeued + 1 where id = ?", intakeId);
    }

    /** Orders refused by validation at these locations, newest first, one page of them. */
    public List<IntakeRecord> rejectedFor(List<String> locations, int page, int size) {
        if (locations.isEmpty()) {
            return List.of();
        }
        return jdbc.query("select " + COLUMNS + " from intake where state = 'REJECTED' and location_id in ("
                + marks(locations) + ") order by received_at desc, id offset " + ((long) page * size)
                + " rows fetch next " + size + " rows only", MAPPER, locations.toArray());
    }

    public long countRejected(List<String> locations) {
        if (locations.isEmpty()) {
            return 0;
        }
        Long n = jdbc.queryForObject("select count(*) from intake where state = 'REJECTED' and location_id in ("
                + marks(locations) + ")", Long.class, locations.toArray());
        return n == null ? 0 : n;
    }

    private static String marks(List<String> values) {
        return String.join(",", java.util.Collections.nCopies(values.size(), "?"));
    }

    public void markOutcome(UUID intakeId, IntakeState state, UUID orderId, String reason) {
        jdbc.update("update intake set state = ?, order_id = ?, reason = ?, processed_at = ? where id = ?",
                state.name(), orderId, Text.clip(reason, Text.COLUMN), Timestamp.from(Instant.now(clock)),
                intakeId);
    }

    private static final RowMapper<IntakeRecord> MAPPER = (ResultSet rs, int n) -> new IntakeRecord(
            rs.getObject("id", UUID.class), rs.getString("source"), rs.getString("client_id"),
            rs.getString("idempotency_key"), rs.getString("fingerprint"), rs.getString("business_key"),
            rs.getString("location_id"), rs.getString("channel"), rs.getString("content_type"),
            rs.getString("payload"), IntakeState.valueOf(rs.getString("state")), rs.getString("reason"),
            rs.getObject("order_id", UUID.class), rs.getString("correlation_id"), instant(rs, "received_at"),
            instant(rs, "processed_at"));

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
