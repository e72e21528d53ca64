package io.orderhub.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.HubProperties;
import io.orderhub.broker.BrokerSends;
import io.orderhub.database.Ids;
import io.orderhub.order.OrderEvent;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Transactional outbox for events born outside a message consumer (status changes through the API): the event
 * row commits with the change, is published right after, and the relay route re-publishes whatever a crash left.
 * Re-publishing keeps the event id, so the broker's duplicate detection and the stages drop a second copy.
 */
@Component("outbox")
public class Outbox {

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    static final String FAN_OUT = "direct:fan-out";

    private final JdbcTemplate jdbc;
    private final ProducerTemplate producer;
    private final PipelineSteps steps;
    private final ObjectMapper json;
    private final Clock clock;
    private final HubProperties hub;
    private final BrokerSends sends;

    public Outbox(JdbcTemplate jdbc, ProducerTemplate producer, PipelineSteps steps, ObjectMapper json, Clock clock,
                  HubProperties hub, BrokerSends sends) {
        this.hub = hub;
        this.sends = sends;
        this.jdbc = jdbc;
        this.producer = producer;
        this.steps = steps;
        this.json = json;
        this.clock = clock;
    }

    /** Call inside the transaction that makes the change. */
    public UUID add(OrderEvent event) {
        DefaultMessage message = new DefaultMessage(producer.getCamelContext());
        steps.toEvent(message, event);
        Map<String, String> headers = new HashMap<>();
        message.getHeaders().forEach((k, v) -> headers.put(k, String.valueOf(v)));
        return add(FAN_OUT, event.eventId().toString(), headers, message.getBody(String.class));
    }

    /**
     * Any message for a Camel endpoint ({@code jms:queue:...}), committed with the caller's change. Put the broker's
     * duplicate id ({@link Headers#DUPLICATE_ID}) in {@code headers} so that a relayed copy is dropped.
     */
    public UUID add(String destination, String dupId, Map<String, String> headers, String body) {
        UUID id = Ids.next();
        jdbc.update("insert into outbox (id, destination, dup_id, headers, body, created_at) values (?,?,?,?,?,?)",
                id, destination, dupId, write(headers), body, Timestamp.from(Instant.now(clock)));
        return id;
    }

    private record Row(String destination, String headers, String body) {
    }

    /** Call after commit. A failure here is not lost: the relay finds the row. */
    public void publish(UUID id) {
        try {
            for (Row row : jdbc.query("select destination, headers, body from outbox where id = ?",
                    (rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3)), id)) {
                // durable before the row goes, even on a consumer's thread (BrokerSends)
                sends.onTheirOwn(() -> producer.sendBodyAndHeaders(row.destination(), row.body(),
                        new HashMap<>(read(row.headers()))));
                jdbc.update("delete from outbox where id = ?", id);
            }
        } catch (RuntimeException e) {
            log.warn("Outbox event {} not published now, the relay will retry: {}", id, e.toString());
        }
    }

    /** Re-publishes events the hub did not publish right after commit; called by the outbox-relay route. */
    public int relay() {
        Duration age = hub.outbox().relayAge();
        List<UUID> ids = jdbc.queryForList("select id from outbox where created_at < ? order by created_at "
                + "fetch first " + hub.outbox().relayBatch() + " rows only", UUID.class,
                Timestamp.from(Instant.now(clock).minus(age)));
        ids.forEach(this::publish);
        return ids.size();
    }

    private String write(Map<String, String> headers) {
        try {
            return json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, String> read(String headers) {
        try {
            return json.readValue(headers, new TypeReference<>() {
            });
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
