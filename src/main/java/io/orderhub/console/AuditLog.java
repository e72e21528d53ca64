package io.orderhub.console;

import io.orderhub.support.Text;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Every operator action, kept: who, when, what, on what, and the thing before and after. */
@Repository
public class AuditLog {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public AuditLog(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public record Entry(long id, Instant at, String actor, String action, String target, String detail,
                        String before, String after) {
    }

    public record Page(List<Entry> items, long total) {
    }

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void record(String actor, String action, String target, String detail, String before, String after) {
        jdbc.update("insert into audit_log (at, actor, action, target, detail, before_value, after_value) "
                        + "values (?,?,?,?,?,?,?)", Timestamp.from(Instant.now(clock)), Text.clip(actor, 128),
                action, Text.clip(target, 400), Text.clip(detail, Text.COLUMN), before, after);
    }

    public Page page(String actor, String action, int page, int size) {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder();
        if (actor != null && !actor.isBlank()) {
            where.append(" where actor = ?");
            args.add(actor);
        }
        if (action != null && !action.isBlank()) {
            where.append(where.isEmpty() ? " where " : " and ").append("action like ?");
            args.add(action.replace("%", "") + "%");
        }
        Long total = jdbc.queryForObject("select count(*) from audit_log" + where, Long.class, args.toArray());
        args.add(size);
        args.add((long) page * size);
        List<Entry> items = jdbc.query("select id, at, actor, action, target, detail, before_value, after_value "
                        + "from audit_log" + where + " order by id desc limit ? offset ?",
                (rs, n) -> new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)), args.toArray());
        return new Page(items, total == null ? 0 : total);
    }
}
