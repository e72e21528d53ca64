package io.orderhub.adapter;

import java.sql.Timestamp;
import java.time.Clock;
import org.springframework.boot.convert.DurationStyle;
import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The polling fallback, for vendors or stores without webhooks: a timer route {@code <id>-orders-poll} per adapter
 * whose descriptor (or setting {@code polling-enabled}) turns polling on. Each tick asks the vendor for what changed
 * since the stored cursor, stores every payload through the same intake as a webhook (same event keys, so a payload
 * seen by webhook and by poll is one intake), then acknowledges them to the vendor and moves the cursor. The routes
 * are made here rather than in YAML because there is one per adapter found at start.
 */
@Component("adapterPolling")
public class AdapterPolling extends RouteBuilder {

    private static final Logger log = LoggerFactory.getLogger(AdapterPolling.class);

    private final AdapterRegistry adapters;
    private final VendorIntake intake;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    public AdapterPolling(AdapterRegistry adapters, VendorIntake intake, JdbcTemplate jdbc, Clock clock) {
        this.adapters = adapters;
        this.intake = intake;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public void configure() {
        for (Adapter adapter : adapters.all()) {
            var polling = adapter.descriptor().polling();
            boolean on = adapter.context().setting("polling-enabled").map(Boolean::parseBoolean)
                    .orElse(polling != null && polling.on());
            if (!on) {
                continue;
            }
            String interval = adapter.context().setting("polling-interval")
                    .orElse(polling == null || polling.interval() == null ? "30s" : polling.interval());
            long ms = DurationStyle.detectAndParse(interval).toMillis();
            from("timer:" + adapter.id() + "-poll?period=" + ms + "&delay=" + ms)
                    .routeId(adapter.id() + "-orders-poll")
                    .routeDescription("Polling fallback: fetch " + adapter.id() + " changes since the cursor")
                    .bean("adapterPolling", "poll('" + adapter.id() + "')");
            log.info("Adapter {} polls every {}", adapter.id(), interval);
        }
    }

    /** One polling round for an adapter; returns how many new payloads it stored. */
    public int poll(String adapterId) {
        Adapter adapter = adapters.find(adapterId).orElseThrow();
        List<String> cursors = jdbc.queryForList("select cursor_value from adapter_cursor where adapter = ?",
                String.class, adapterId);
        String cursor = cursors.isEmpty() ? null : cursors.get(0);
        VendorAdapter.PollResult result = adapter.vendor().poll(cursor, adapter.context());
        int fresh = 0;
        for (String payload : result.payloads()) {
            if (intake.receive(adapter, payload, name -> null, "application/json", null)) {
                fresh++;
            }
        }
        if (!result.payloads().isEmpty()) {
            adapter.vendor().acknowledgePolled(result.payloads(), adapter.context());
        }
        Timestamp now = Timestamp.from(clock.instant());
        if (jdbc.update("update adapter_cursor set cursor_value = ?, updated_at = ? where adapter = ?",
                result.nextCursor(), now, adapterId) == 0) {
            jdbc.update("insert into adapter_cursor (adapter, cursor_value, updated_at) values (?, ?, ?)", adapterId,
                    result.nextCursor(), now);
        }
        if (fresh > 0) {
            log.info("{} poll stored {} new payload(s)", adapterId, fresh);
        }
        return fresh;
    }
}
