package io.orderhub.console;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.HubProperties;
import io.orderhub.order.Timeline;
import io.orderhub.pipeline.Headers;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Service;

/**
 * What an operator does to a dead letter. A replay sends the stored message (or the operator's corrected payload)
 * back to the queue it failed on, with its original headers, so it re-enters at the failed stage and meets the same
 * deduplication as any message (an order stored once by its business key; a stage acting once per event): a replay
 * can never double an order. The entry is closed before the send, so two operators (or a bulk job) cannot replay it
 * twice; the broker's copy in {@code DLQ.<queue>} is then removed. Every action goes to the audit log and, for an
 * order, to its timeline.
 */
@Service
public class DeadLetterReplay implements org.springframework.beans.factory.DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplay.class);

    private final DeadLetterStore store;
    private final AuditLog audit;
    private final Timeline timeline;
    private final PayloadCheck check;
    private final JmsTemplate jms;
    private final HubProperties hub;
    private final ObjectMapper json;
    private final org.springframework.jms.connection.CachingConnectionFactory ownFactory;

    public DeadLetterReplay(DeadLetterStore store, AuditLog audit, Timeline timeline, PayloadCheck check,
                            JmsTemplate jms, HubProperties hub, ObjectMapper json) {
        this.store = store;
        this.audit = audit;
        this.timeline = timeline;
        this.check = check;
        this.json = json;
        this.hub = hub;
        jakarta.jms.ConnectionFactory factory = jms.getConnectionFactory();
        if (factory instanceof org.springframework.jms.connection.CachingConnectionFactory caching
                && caching.getTargetConnectionFactory() != null) {
            // the removal's consumer has a selector per dead letter: a consumer-caching factory would keep every
            // one of them open on DLQ.<queue> (one more per replay, for the life of the hub)
            this.ownFactory = new org.springframework.jms.connection.CachingConnectionFactory(
                    caching.getTargetConnectionFactory());
            this.ownFactory.setCacheConsumers(false);
            this.ownFactory.setSessionCacheSize(8);
            factory = ownFactory;
        } else {
            this.ownFactory = null;
        }
        this.jms = new JmsTemplate(factory);
        this.jms.setReceiveTimeout(500);
        this.jms.setSessionTransacted(true);
    }

    @Override
    public void destroy() {
        if (ownFactory != null) {
            ownFactory.destroy();
        }
    }

    /** The operator's action could not be done as asked; {@code status} is the HTTP status that says why. */
    public static class Refused extends RuntimeException {
        private final int status;
        private final List<String> problems;

        public Refused(int status, String message, List<String> problems) {
            super(message);
            this.status = status;
            this.problems = problems;
        }

        public int status() {
            return status;
        }

        public List<String> problems() {
            return problems;
        }
    }

    public void replay(UUID id, String actor, String editedPayload, String via) {
        DeadLetterStore.Detail d = store.find(id).orElseThrow(() -> new Refused(404, "No dead letter " + id,
                List.of()));
        if (!DeadLetterStore.OPEN.equals(d.entry().state())) {
            throw new Refused(409, "Dead letter " + id + " is " + d.entry().state() + ", not open", List.of());
        }
        String payload = d.payload();
        if (editedPayload != null) {
            List<String> problems = check.problems(d, editedPayload);
            if (!problems.isEmpty()) {
                throw new Refused(422, "The edited payload is not valid for " + d.entry().queue(), problems);
            }
            payload = editedPayload;
        }
        if (!store.close(id, DeadLetterStore.REPLAYED, actor, editedPayload)) {
            throw new Refused(409, "Dead letter " + id + " was just replayed or discarded by someone else", List.of());
        }
        String body = payload;
        try {
            Map<String, String> headers = json.readValue(d.headers(), new TypeReference<Map<String, String>>() { });
            jms.send(d.entry().queue(), session -> {
                TextMessage m = session.createTextMessage(body);
                headers.forEach((k, v) -> {
                    if (!k.equals(Headers.PRIOR_ATTEMPTS)) {
                        try {
                            m.setStringProperty(k, v);
                        } catch (jakarta.jms.JMSException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
                m.setStringProperty(Headers.REPLAYED_BY, actor);
                return m;
            });
        } catch (IOException | RuntimeException e) {
            store.reopen(id, d.entry().reason());
            throw new Refused(503, "The replay could not be sent: " + e.getMessage(), List.of());
        }
        removeFromBrokerDlq(d.entry().queue(), id);
        String action = editedPayload == null ? "dead-letter.replay" : "dead-letter.edit-and-replay";
        audit.record(actor, action, "dead-letter:" + id, via + "; " + d.entry().queue() + "; was: "
                + d.entry().reason(), editedPayload == null ? null : d.payload(), editedPayload);
        if (d.entry().orderId() != null) {
            timeline.record(d.entry().orderId(), "operator", d.entry().stage(), actor,
                    (editedPayload == null ? "replayed" : "edited and replayed") + " dead letter " + id);
        }
    }

    public void discard(UUID id, String actor, String reason) {
        if (reason == null || reason.isBlank() || reason.trim().length() < 3) {
            throw new Refused(422, "A discard needs a reason", List.of("reason: at least 3 characters"));
        }
        DeadLetterStore.Detail d = store.find(id).orElseThrow(() -> new Refused(404, "No dead letter " + id,
                List.of()));
        if (!store.close(id, DeadLetterStore.DISCARDED, actor, null)) {
            throw new Refused(409, "Dead letter " + id + " is " + d.entry().state() + ", not open", List.of());
        }
        removeFromBrokerDlq(d.entry().queue(), id);
        audit.record(actor, "dead-letter.discard", "dead-letter:" + id, reason.trim(), d.entry().state(),
                DeadLetterStore.DISCARDED);
        if (d.entry().orderId() != null) {
            timeline.record(d.entry().orderId(), "operator", d.entry().stage(), actor, "discarded dead letter " + id
                    + ": " + reason.trim());
        }
    }

    /** Best effort: the console's row is the record; the broker's copy is only removed so the DLQ depth is true. */
    private void removeFromBrokerDlq(String queue, UUID id) {
        try {
            Message m = jms.receiveSelected(hub.queues().deadLetterPrefix() + queue,
                    Headers.DEAD_LETTER_ID + " = '" + id + "'");
            if (m == null) {
                log.info("Dead letter {} was not found on {}{} (already removed)", id, hub.queues().deadLetterPrefix(),
                        queue);
            }
        } catch (RuntimeException e) {
            log.warn("Dead letter {} stays on the broker's DLQ: {}", id, e.getMessage());
        }
    }
}
