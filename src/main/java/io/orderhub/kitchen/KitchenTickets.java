package io.orderhub.kitchen;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.adapter.AdapterRegistry;
import io.orderhub.support.Text;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Kitchen tickets in the database (table kitchen_ticket), so every hub instance and every screen sees the same
 * board. Changes are optimistic (a version column): two cooks bumping at once cannot lose a bump.
 */
@Repository
public class KitchenTickets {

    private static final TypeReference<List<KitchenTicket.Item>> ITEMS = new TypeReference<>() { };

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final AdapterRegistry adapters;

    public KitchenTickets(JdbcTemplate jdbc, ObjectMapper json, Clock clock, AdapterRegistry adapters) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.adapters = adapters;
    }

    /** Stores the order's tickets once (a redelivered event finds them there). @return the ones stored now */
    public List<KitchenTicket> create(List<KitchenTicket> tickets) {
        List<KitchenTicket> created = new ArrayList<>();
        for (KitchenTicket t : tickets) {
            int stored = jdbc.update("insert into kitchen_ticket (id, order_id, location_id, station, display_id, "
                            + "order_type, channel, priority, state, fire_at, due_at, created_at, notes, allergies, items, "
                            + "version) select ?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0 where not exists "
                            + "(select 1 from kitchen_ticket where order_id = ? and station = ?)",
                    t.id(), t.orderId(), t.locationId(), t.station(), t.displayId(), t.orderType(), t.channel(),
                    t.priority(), t.state(), Timestamp.from(t.fireAt()), Timestamp.from(t.dueAt()),
                    Timestamp.from(t.createdAt()), Text.clip(t.notes(), 2000),
                    Text.clip(String.join(", ", t.allergies()), 1000), write(t.items()), t.orderId(), t.station());
            if (stored == 1) {
                created.add(t);
            }
        }
        return created;
    }

    /**
     * The board of a station (or, with {@code station} null, of the whole location: the expo view): open tickets,
     * most urgent first (rush, then the earliest due), held ones that are due to fire included.
     */
    public List<KitchenTicket> board(String location, String station) {
        List<Object> args = new ArrayList<>(List.of(location, KitchenTicket.OPEN, KitchenTicket.HELD,
                Timestamp.from(Instant.now(clock))));
        String byStation = "";
        if (station != null) {
            byStation = " and t.station = ?";
            args.add(station);
        }
        return jdbc.query(SELECT + " where t.location_id = ? and (t.state = ? or (t.state = ? and t.fire_at <= ?))"
                + byStation + " order by case when t.priority = 'rush' then 0 when t.priority = 'vip' then 1 "
                + "else 2 end, t.due_at, t.created_at",
                this::ticket, args.toArray());
    }

    /** Tickets of the location that are held for later (scheduled orders), soonest first. */
    public List<KitchenTicket> held(String location) {
        return jdbc.query(SELECT + " where t.location_id = ? and t.state = ? order by t.fire_at", this::ticket,
                location, KitchenTicket.HELD);
    }

    public List<KitchenTicket> ofOrder(UUID orderId) {
        return jdbc.query(SELECT + " where t.order_id = ? order by t.station", this::ticket, orderId);
    }

    public Optional<KitchenTicket> find(UUID id) {
        return jdbc.query(SELECT + " where t.id = ?", this::ticket, id).stream().findFirst();
    }

    /**
     * Held tickets whose time has come become OPEN; {@code fired} gets each one this call fired (call inside the
     * transaction that should commit with it). @return their locations (to refresh those screens)
     */
    public List<String> fireDue(java.util.function.Consumer<KitchenTicket> fired) {
        Timestamp now = Timestamp.from(Instant.now(clock));
        List<UUID> due = jdbc.queryForList("select id from kitchen_ticket where state = ? and fire_at <= ?", UUID.class,
                KitchenTicket.HELD, now);
        java.util.Set<String> locations = new java.util.LinkedHashSet<>();
        for (UUID id : due) {
            // another hub instance may fire it at the same time: only the one whose update counts tells
            if (jdbc.update("update kitchen_ticket set state = ?, version = version + 1 where id = ? and state = ?",
                    KitchenTicket.OPEN, id, KitchenTicket.HELD) == 1) {
                find(id).ifPresent(t -> {
                    locations.add(t.locationId());
                    fired.accept(t);
                });
            }
        }
        return new ArrayList<>(locations);
    }

    /** Saves a changed ticket if nobody changed it meanwhile. */
    boolean save(KitchenTicket t) {
        return jdbc.update("update kitchen_ticket set state = ?, started_at = ?, bumped_at = ?, bumped_by = ?, "
                        + "items = ?, version = version + 1 where id = ? and version = ?", t.state(),
                t.startedAt() == null ? null : Timestamp.from(t.startedAt()),
                t.bumpedAt() == null ? null : Timestamp.from(t.bumpedAt()), t.bumpedBy(), write(t.items()), t.id(),
                t.version()) == 1;
    }

    /**
     * Every ticket of the order not yet finished gets {@code state} (VOIDED on a cancel, DONE when the order is
     * ready); {@code finished} gets each one that was on a screen (OPEN) as it is now.
     *
     * @return the locations of the tickets finished
     */
    public List<String> finishOrder(UUID orderId, String state, String by,
                                    java.util.function.Consumer<KitchenTicket> finished) {
        Timestamp now = Timestamp.from(Instant.now(clock));
        java.util.Set<String> locations = new java.util.LinkedHashSet<>();
        for (KitchenTicket t : ofOrder(orderId)) {
            if (t.finished()) {
                continue;
            }
            if (jdbc.update("update kitchen_ticket set state = ?, bumped_at = ?, bumped_by = ?, version = version + 1 "
                    + "where id = ? and state in (?, ?)", state, now, by, t.id(), KitchenTicket.OPEN,
                    KitchenTicket.HELD) == 1) {
                locations.add(t.locationId());
                if (KitchenTicket.OPEN.equals(t.state())) {
                    find(t.id()).ifPresent(finished);
                }
            }
        }
        return new ArrayList<>(locations);
    }

    private static final String SELECT = "select t.*, (select count(*) from stage_delivery d where d.order_id = "
            + "t.order_id and d.stage = 'pos' and d.event_type = 'order.created') as in_pos from kitchen_ticket t";

    private KitchenTicket ticket(ResultSet rs, int n) throws SQLException {
        String location = rs.getString("location_id");
        String allergies = rs.getString("allergies");
        return new KitchenTicket(rs.getObject("id", UUID.class), rs.getObject("order_id", UUID.class), location,
                rs.getString("station"), rs.getString("display_id"), rs.getString("order_type"),
                rs.getString("channel"), rs.getString("priority"), rs.getString("state"), instant(rs, "fire_at"),
                instant(rs, "due_at"), instant(rs, "created_at"), instant(rs, "started_at"),
                instant(rs, "bumped_at"), rs.getString("bumped_by"), rs.getString("notes"),
                allergies == null || allergies.isBlank() ? List.of() : Arrays.asList(allergies.split(", ")),
                read(rs.getString("items")), rs.getInt("version"),
                rs.getLong("in_pos") == 0 && adapters.hasPos(location));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private String write(List<KitchenTicket.Item> items) {
        try {
            return json.writeValueAsString(items);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<KitchenTicket.Item> read(String text) {
        try {
            return json.readValue(text, ITEMS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
