package io.orderhub.order;

import io.orderhub.support.Text;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** An order's history across systems, appended by every stage; joins the caller's transaction. */
@Repository
public class Timeline {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public Timeline(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public record Entry(Instant at, String kind, String stage, String actor, String detail) {
    }

    public void record(UUID orderId, String kind, String stage, String actor, String detail) {
        jdbc.update("insert into order_timeline (order_id, at, kind, stage, actor, detail) values (?,?,?,?,?,?)",
                orderId, Timestamp.from(Instant.now(clock)), kind, stage, actor,
                Text.clip(detail, Text.COLUMN));
    }

    /** Everything that happened to the order, oldest first: timeline entries and stage deliveries merged. */
    public List<Entry> of(UUID orderId) {
        return jdbc.query("select at, kind, stage, actor, detail, 0 as src, id from order_timeline where order_id = ? "
                        + "union all select delivered_at, 'delivered', stage, 'hub', "
                        + "event_type || case when attempts > 1 then ' delivered after ' || attempts || ' attempts' "
                        + "else ' delivered' end, 1, 0 from stage_delivery where order_id = ? "
                        + "order by 1, 6, 7",
                (rs, n) -> new Entry(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5)), orderId, orderId);
    }
}
