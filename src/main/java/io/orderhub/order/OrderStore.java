package io.orderhub.order;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.intake.IntakeRecord.IntakeState;
import io.orderhub.intake.IntakeStore;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.model.OrderStatus;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Canonical orders in the database. {@link #storeOnce} is the dedupe-and-store step: an order is stored once per
 * business key, which {@code orders.business_key} holds under a unique constraint.
 */
@Repository
public class OrderStore {

    private final JdbcTemplate jdbc;
    private final IntakeStore intake;
    private final Timeline timeline;
    private final ObjectMapper json;
    private final Clock clock;

    public OrderStore(JdbcTemplate jdbc, IntakeStore intake, Timeline timeline, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.intake = intake;
        this.timeline = timeline;
        this.json = json;
        this.clock = clock;
    }

    /** Result of the dedupe-and-store step: new, a duplicate of another intake, or this intake again. */
    public record Stored(CanonicalOrder order, boolean duplicate, boolean redelivered) {
    }

    /**
     * Stores the order unless its business key has one already. Two deliveries of one key at once (a webhook and
     * its retry on two threads) both find nothing; the second insert then waits for the first transaction and
     * fails on the unique business key ({@code DuplicateKeyException}), which the error policy retries as a
     * transient failure: the retry finds the first one's order and answers "duplicate". The key is the only record
     * of what was seen, so a rolled-back store is never remembered as seen.
     */
    @Transactional
    public Stored storeOnce(CanonicalOrder order, String businessKey, UUID intakeId) {
        Optional<CanonicalOrder> known = findByBusinessKey(businessKey);
        if (known.isPresent()) {
            CanonicalOrder existing = known.get();
            if (existing.id().equals(intakeId)) {
                // the same intake again: its message came back after a crash or a rollback, not a new order
                timeline.record(existing.id(), "redelivered", null, order.source(),
                        "intake processed again; its event is re-published under the same id");
                return new Stored(existing, false, true);
            }
            intake.markOutcome(intakeId, IntakeState.DUPLICATE, existing.id(),
                    "duplicate of order " + existing.id() + " (" + businessKey + ")");
            timeline.record(existing.id(), "duplicate-received", null, order.source(),
                    "same business key again (intake " + intakeId + ")");
            return new Stored(existing, true, false);
        }
        jdbc.update("insert into orders (id, business_key, source, channel, brand_id, location_id, status, version, "
                        + "total_minor, currency, correlation_id, created_at, updated_at, document, customer_phone) "
                        + "values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                order.id(), businessKey, order.source(), order.channel(), order.brandId(), order.locationId(),
                order.status().wire(), order.version(), order.charges().total().amount(), order.currency(),
                order.correlationId(), Timestamp.from(order.createdAt()), Timestamp.from(order.updatedAt()),
                write(order), phoneDigits(order.customer() == null ? null : order.customer().phone()));
        for (CanonicalOrder.ExternalId external : order.externalIds()) {
            int added = jdbc.update("insert into order_external_id (order_id, system, external_id) select ?, ?, ? "
                            + "where not exists (select 1 from order_external_id where system = ? and external_id = ?)",
                    order.id(), external.system(), external.id(), external.system(), external.id());
            if (added == 0) {
                timeline.record(order.id(), "external-id-conflict", null, order.source(), external.system() + " id "
                        + external.id() + " already belongs to another order");
            }
        }
        intake.markOutcome(intakeId, IntakeState.ACCEPTED, order.id(), null);
        timeline.record(order.id(), "accepted", null, order.source(),
                order.lines().size() + " lines, total " + order.charges().total().amount() + " " + order.currency());
        return new Stored(order, false, false);
    }

    public Optional<CanonicalOrder> find(UUID id) {
        return jdbc.query("select document from orders where id = ?", (rs, n) -> read(rs.getString(1)), id).stream()
                .findFirst();
    }

    /** The order's status alone (its document is not read), empty when there is no such order. */
    public Optional<io.orderhub.model.OrderStatus> status(UUID id) {
        return jdbc.query("select status from orders where id = ?",
                (rs, n) -> io.orderhub.model.OrderStatus.fromWire(rs.getString(1)), id).stream().findFirst();
    }

    public Optional<CanonicalOrder> findByBusinessKey(String businessKey) {
        return jdbc.query("select document from orders where business_key = ?", (rs, n) -> read(rs.getString(1)),
                businessKey).stream().findFirst();
    }

    /** The order another system knows by this id ({@code system} is an adapter id, or a channel client). */
    public Optional<CanonicalOrder> findByExternalId(String system, String externalId) {
        return jdbc.query("select o.document from orders o join order_external_id e on e.order_id = o.id "
                + "where e.system = ? and e.external_id = ?", (rs, n) -> read(rs.getString(1)), system, externalId)
                .stream().findFirst();
    }

    /** Optimistic update of the status: false when another change got there first. */
    boolean updateStatus(CanonicalOrder changed, long expectedVersion) {
        return jdbc.update("update orders set status = ?, version = ?, updated_at = ?, document = ? "
                        + "where id = ? and version = ?", changed.status().wire(), changed.version(),
                Timestamp.from(changed.updatedAt()), write(changed), changed.id(), expectedVersion) == 1;
    }

    public record Page(List<CanonicalOrder> orders, long total) {
    }

    public Page list(List<String> locations, String channel, OrderStatus status, Instant from, Instant to, int page,
                     int size) {
        StringBuilder where = new StringBuilder(" where location_id in (");
        List<Object> args = new java.util.ArrayList<>();
        for (int i = 0; i < locations.size(); i++) {
            where.append(i == 0 ? "?" : ",?");
            args.add(locations.get(i));
        }
        where.append(')');
        if (channel != null) {
            where.append(" and channel = ?");
            args.add(channel);
        }
        if (status != null) {
            where.append(" and status = ?");
            args.add(status.wire());
        }
        if (from != null) {
            where.append(" and created_at >= ?");
            args.add(Timestamp.from(from));
        }
        if (to != null) {
            where.append(" and created_at < ?");
            args.add(Timestamp.from(to));
        }
        Long total = jdbc.queryForObject("select count(*) from orders" + where, Long.class, args.toArray());
        List<CanonicalOrder> orders = jdbc.query("select document from orders" + where
                        + " order by created_at desc, id offset " + ((long) page * size) + " rows fetch next " + size
                        + " rows only", (rs, n) -> read(rs.getString(1)), args.toArray());
        return new Page(orders, total == null ? 0 : total);
    }

    Instant now() {
        return Instant.now(clock);
    }

    private String write(CanonicalOrder order) {
        try {
            return json.writeValueAsString(order);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CanonicalOrder read(String document) {
        try {
            return json.readValue(document, CanonicalOrder.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A phone number as searched: its digits only, the last 15 (E.164's length), or null. */
    public static String phoneDigits(String phone) {
        if (phone == null) {
            return null;
        }
        String digits = phone.replaceAll("[^0-9]", "");
        if (digits.isEmpty()) {
            return null;
        }
        return digits.length() > 15 ? digits.substring(digits.length() - 15) : digits;
    }
}
