package io.orderhub.pipeline;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import io.orderhub.support.Text;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Failures of messages the broker is still redelivering: the reason, attempts and first/last failure times
 * that the dead letter will carry. Written in its own transaction, so the record survives the rollback that
 * hands the message back to the broker.
 */
@Repository
public class DeliveryFailures {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public DeliveryFailures(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public record Failure(int attempts, Instant firstFailureAt, Instant lastFailureAt, String lastReason) {
    }

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public Failure record(String messageKey, String queue, int attempts, String reason) {
        Timestamp now = Timestamp.from(Instant.now(clock));
        String trimmed = Text.clip(reason, Text.COLUMN);
        int updated = jdbc.update("update delivery_failure set attempts = ?, last_failure_at = ?, last_reason = ? "
                + "where message_key = ?", attempts, now, trimmed, messageKey);
        if (updated == 0) {
            try {
                jdbc.update("insert into delivery_failure (message_key, queue, attempts, first_failure_at, "
                        + "last_failure_at, last_reason) values (?,?,?,?,?,?)", messageKey, queue, attempts, now, now,
                        trimmed);
            } catch (DuplicateKeyException raced) {
                jdbc.update("update delivery_failure set attempts = ?, last_failure_at = ?, last_reason = ? "
                        + "where message_key = ?", attempts, now, trimmed, messageKey);
            }
        }
        return find(messageKey).orElseThrow();
    }

    /** The record of a message's failures, removed as it is read (the dead letter carries it from then on). */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public Optional<Failure> take(String messageKey) {
        Optional<Failure> failure = find(messageKey);
        failure.ifPresent(f -> jdbc.update("delete from delivery_failure where message_key = ?", messageKey));
        return failure;
    }

    public Optional<Failure> find(String messageKey) {
        return jdbc.query("select attempts, first_failure_at, last_failure_at, last_reason from delivery_failure "
                        + "where message_key = ?", (rs, n) -> new Failure(rs.getInt(1), rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3).toInstant(), rs.getString(4)), messageKey).stream().findFirst();
    }
}
