package io.orderhub.console;

import io.orderhub.HubProperties;
import io.orderhub.adapter.Adapter;
import io.orderhub.adapter.AdapterRegistry;
import io.orderhub.adapter.VendorResilience;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.server.Queue;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The vendor health view: per adapter its circuit state, failure rate and latency (from its resilience policy),
 * last success and failure, webhooks received, open dead letters per location, and a stale warning when a vendor
 * that usually sends has gone quiet; per stage the queue depth and dead letters.
 */
@Service
public class VendorHealth {

    private final AdapterRegistry adapters;
    private final DeadLetterStore deadLetters;
    private final JdbcTemplate jdbc;
    private final HubProperties hub;
    private final Clock clock;
    private final ObjectProvider<EmbeddedActiveMQ> broker;
    private final Duration quietAfter;
    private final int usualPerDay;

    public VendorHealth(AdapterRegistry adapters, DeadLetterStore deadLetters, JdbcTemplate jdbc, HubProperties hub,
                        Clock clock, ObjectProvider<EmbeddedActiveMQ> broker,
                        @Value("${orderhub.console.stale-after:30m}") Duration quietAfter,
                        @Value("${orderhub.console.stale-usual-per-day:20}") int usualPerDay) {
        this.adapters = adapters;
        this.deadLetters = deadLetters;
        this.jdbc = jdbc;
        this.hub = hub;
        this.clock = clock;
        this.broker = broker;
        this.quietAfter = quietAfter;
        this.usualPerDay = usualPerDay;
    }

    public record LocationHealth(String locationId, long deadLetters, Instant lastOrderAt) {
    }

    public record Vendor(String adapter, String name, String kind, String circuit, float failureRate,
                         float slowCallRate, int calls, double latencyP50Ms, double latencyP99Ms, Instant lastSuccessAt,
                         Instant lastFailureAt, String lastFailure, Instant lastWebhookAt, long webhooksLastHour,
                         long webhooksLastDay, long deadLetters, boolean stale, String staleReason,
                         List<LocationHealth> locations) {
    }

    public record QueueHealth(String queue, long depth, long deadLetters) {
    }

    public record Report(List<Vendor> vendors, List<QueueHealth> queues) {
    }

    public Report report() {
        Instant now = Instant.now(clock);
        List<DeadLetterStore.Count> counts = deadLetters.openCounts();
        List<Vendor> vendors = new ArrayList<>();
        for (Adapter a : adapters.all()) {
            VendorResilience.Health h = a.context().api().resilience().health();
            Map<String, Object> intake = jdbc.queryForMap("select max(received_at) as last_at, "
                    + "sum(case when received_at >= ? then 1 else 0 end) as in_hour, count(*) as in_day "
                    + "from intake where source = ? and received_at >= ?", Timestamp.from(now.minus(Duration.ofHours(1))),
                    a.id(), Timestamp.from(now.minus(Duration.ofDays(1))));
            Instant last = intake.get("LAST_AT") == null ? lastEver(a.id()) : toInstant(intake.get("LAST_AT"));
            long hour = number(intake.get("IN_HOUR"));
            long day = number(intake.get("IN_DAY"));
            Map<String, LocationHealth> locations = new LinkedHashMap<>();
            long dead = 0;
            for (DeadLetterStore.Count c : counts) {
                if (a.id().equals(c.source()) || delivers(a, c)) {
                    dead += c.count();
                    String loc = c.locationId() == null ? "(unknown)" : c.locationId();
                    LocationHealth prev = locations.get(loc);
                    locations.put(loc, new LocationHealth(loc, (prev == null ? 0 : prev.deadLetters()) + c.count(),
                            null));
                }
            }
            jdbc.query("select location_id, max(created_at) from orders where source = ? group by location_id",
                    rs -> {
                        String loc = rs.getString(1);
                        LocationHealth prev = locations.get(loc);
                        locations.put(loc, new LocationHealth(loc, prev == null ? 0 : prev.deadLetters(),
                                rs.getTimestamp(2).toInstant()));
                    }, a.id());
            String staleReason = staleReason(a.takesEventsIn(), day, last, now, quietAfter, usualPerDay);
            boolean stale = staleReason != null;
            vendors.add(new Vendor(a.id(), a.descriptor().name(), a.descriptor().kind().name().toLowerCase(),
                    h.circuit(), h.failureRate(), h.slowCallRate(), h.calls(), h.p50Ms(), h.p99Ms(),
                    h.lastSuccessAt(), h.lastFailureAt(), h.lastFailure(), last, hour, day, dead, stale, staleReason,
                    new ArrayList<>(locations.values())));
        }
        List<QueueHealth> queues = new ArrayList<>();
        List<String> names = new ArrayList<>();
        names.add(hub.queues().intake());
        hub.stages().forEach(s -> names.add(hub.queues().stagePrefix() + s));
        Map<String, Long> deadByQueue = new LinkedHashMap<>();
        jdbc.query("select queue, count(*) from dead_letter where state = 'OPEN' group by queue",
                rs -> {
                    deadByQueue.put(rs.getString(1), rs.getLong(2));
                });
        for (String q : names) {
            queues.add(new QueueHealth(q, depth(q), deadByQueue.getOrDefault(q, 0L)));
        }
        return new Report(vendors, queues);
    }

    /**
     * Why a vendor looks stale, or null: it sends events in, sent at least {@code usual} in the last day, and has sent
     * nothing for {@code quietAfter} (a Saturday-night outage on the vendor's side shows here before the phone rings).
     */
    static String staleReason(boolean sendsEvents, long lastDay, Instant last, Instant now, Duration quietAfter,
                              int usual) {
        if (!sendsEvents || lastDay < usual || last == null || !last.plus(quietAfter).isBefore(now)) {
            return null;
        }
        return "No webhook for " + Duration.between(last, now).toMinutes() + " min; usually " + lastDay + " a day";
    }

    /** A POS adapter owns the POS stage's dead letters at the locations it serves (whatever the order's source). */
    private static boolean delivers(Adapter a, DeadLetterStore.Count c) {
        return a.descriptor().kind() == io.orderhub.adapter.AdapterDescriptor.Kind.POS && "pos".equals(c.stage())
                && c.locationId() != null && a.context().storeOf(c.locationId()).isPresent();
    }

    private Instant lastEver(String source) {
        Timestamp t = jdbc.queryForObject("select max(received_at) from intake where source = ?", Timestamp.class,
                source);
        return t == null ? null : t.toInstant();
    }

    /** Messages waiting on the queue (embedded broker); -1 when the broker is not in this process. */
    private long depth(String queue) {
        EmbeddedActiveMQ embedded = broker.getIfAvailable();
        ActiveMQServer server = embedded == null ? null : embedded.getActiveMQServer();
        if (server == null) {
            return -1;
        }
        Queue q = server.locateQueue(SimpleString.of(queue));
        return q == null ? 0 : q.getMessageCount();
    }

    private static Instant toInstant(Object o) {
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        return o == null ? null : Instant.parse(o.toString());
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
