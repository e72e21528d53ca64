package io.orderhub.kitchen;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.HubProperties;
import io.orderhub.pipeline.Headers;
import io.orderhub.pipeline.Outbox;
import io.orderhub.pipeline.PermanentFailure;
import io.orderhub.pipeline.TransientFailure;
import io.orderhub.signature.WebhookSigner;
import io.orderhub.support.Text;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import jakarta.annotation.PreDestroy;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Ticket events for external kitchen displays ({@code orderhub.kitchen.webhooks}) as outbound webhooks signed with
 * Standard Webhooks: {@code kds.ticket.created} (a ticket reached its station), {@code kds.ticket.fired} (a held
 * ticket of a scheduled order was released), {@code kds.item.bumped}, {@code kds.ticket.done} (bumped, or finished
 * because the order was made ready elsewhere) and {@code kds.ticket.voided} (the order was cancelled).
 *
 * <p>Nothing is lost: each event is an outbox row per display, committed in the transaction that changes the
 * ticket, published to the queue {@code orderhub.queues.kds-webhooks} right after (the relay re-publishes what a
 * crash left), and delivered by route {@code kds-webhook-deliver} under the stage error policy: a display that is
 * down gets the event again with backoff, and after the last attempt it is a dead letter with the display's answer
 * as the reason. The {@code webhook-id} is the event's id on every attempt (the display's idempotency key).
 */
@Component("kdsWebhooks")
public class KdsWebhooks {

    static final String DISPLAY = "orderhubKdsDisplay";
    static final String WEBHOOK_ID = "orderhubWebhookId";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final KdsWebhookProperties config;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;
    private final String queue;
    private final ExecutorService publisher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kds-webhook-publish");
        t.setDaemon(true);
        return t;
    });

    public KdsWebhooks(KdsWebhookProperties config, Outbox outbox, TransactionTemplate tx, ObjectMapper json,
                       Clock clock, HubProperties hub) {
        this.config = config;
        this.outbox = outbox;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.queue = hub.queues().kdsWebhooks();
    }

    /**
     * Runs a ticket change in one database transaction; the events it adds ({@link #add}) commit with it and are
     * published after the commit.
     */
    public <T> T change(Function<List<UUID>, T> work) {
        List<UUID> rows = new ArrayList<>();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            // inside a stage delivery's transaction: publish once it has committed, off the consumer's thread (its
            // broker session would make the send wait for the consumer's own commit); a crash before that leaves
            // the rows to the relay
            T result = tx.execute(status -> work.apply(rows));
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    List<UUID> committed = List.copyOf(rows);
                    publisher.execute(() -> committed.forEach(outbox::publish));
                }
            });
            return result;
        }
        T result = tx.execute(status -> {
            rows.clear();
            return work.apply(rows);
        });
        rows.forEach(outbox::publish);
        return result;
    }

    @PreDestroy
    void close() {
        publisher.shutdown();
    }

    /** An event of this ticket for every display that serves its location and station; inside {@link #change}. */
    public void add(List<UUID> rows, String type, KitchenTicket t, Integer item) {
        if (queue == null || queue.isBlank()) {
            return;
        }
        List<KdsWebhookProperties.Display> displays = config.displays().stream()
                .filter(d -> d.serves(t.locationId(), t.station())).toList();
        if (displays.isEmpty()) {
            return;
        }
        String webhookId = "msg_" + UUID.randomUUID();
        String body = body(type, t, item);
        for (KdsWebhookProperties.Display d : displays) {
            String key = webhookId + "@" + d.name();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put(Headers.EVENT_ID, key);
            headers.put(Headers.EVENT_TYPE, type);
            headers.put(Headers.ORDER_ID, t.orderId().toString());
            headers.put(Headers.DUPLICATE_ID, key);
            headers.put(DISPLAY, d.name());
            headers.put(WEBHOOK_ID, webhookId);
            rows.add(outbox.add("jms:queue:" + queue, key, headers, body));
        }
    }

    private String body(String type, KitchenTicket t, Integer item) {
        Instant at = Instant.now(clock);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ticketId", t.id().toString());
        data.put("orderId", t.orderId().toString());
        data.put("number", t.displayId());
        data.put("location", t.locationId());
        data.put("station", t.station());
        data.put("state", t.state());
        data.put("orderType", t.orderType());
        data.put("channel", t.channel());
        data.put("priority", t.priority());
        if (item != null) {
            data.put("item", item);
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (KitchenTicket.Item i : t.items()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("index", i.index());
            line.put("name", i.name());
            line.put("quantity", i.quantity());
            line.put("modifiers", i.modifiers() == null ? List.of() : i.modifiers());
            if (i.notes() != null && !i.notes().isBlank()) {
                line.put("notes", i.notes());
            }
            if (i.allergies() != null && !i.allergies().isEmpty()) {
                line.put("allergies", i.allergies());
            }
            line.put("bumped", i.bumped());
            items.add(line);
        }
        data.put("items", items);
        if (t.notes() != null && !t.notes().isBlank()) {
            data.put("notes", t.notes());
        }
        if (t.allergies() != null && !t.allergies().isEmpty()) {
            data.put("allergies", t.allergies());
        }
        if (t.dueAt() != null) {
            data.put("dueAt", t.dueAt().toString());
        }
        if (t.bumpedBy() != null) {
            data.put("by", t.bumpedBy());
        }
        data.put("at", at.toString());
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", type);
        payload.put("timestamp", at.toString());
        payload.put("data", data);
        try {
            return json.writeValueAsString(payload);
        } catch (IOException e) {
            throw new IllegalStateException("KDS webhook body: " + e.getMessage(), e);
        }
    }

    /** Route kds-webhook-deliver: one event to one display, signed; throws for the error policy to retry. */
    public void deliver(Exchange exchange) {
        Message in = exchange.getMessage();
        String name = in.getHeader(DISPLAY, String.class);
        String webhookId = in.getHeader(WEBHOOK_ID, String.class);
        KdsWebhookProperties.Display display = config.displays().stream().filter(d -> d.name().equals(name))
                .findFirst().orElseThrow(() -> new PermanentFailure("KDS display '" + name + "' is no longer "
                        + "configured (orderhub.kitchen.webhooks)"));
        if (webhookId == null) {
            throw new PermanentFailure("KDS webhook message without " + WEBHOOK_ID);
        }
        String body = in.getBody(String.class);
        Map<String, String> signature;
        try {
            signature = WebhookSigner.standardWebhooks(webhookId, Instant.now(clock).getEpochSecond(),
                    display.secret() == null ? "" : display.secret(), body);
        } catch (IllegalArgumentException e) {
            throw new PermanentFailure("KDS display " + name + ": the secret is not a base64 Standard Webhooks "
                    + "secret", e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(display.url()))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .header("User-Agent", "OrderHub").POST(HttpRequest.BodyPublishers.ofString(body));
        signature.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TransientFailure("KDS display " + name + " not reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("KDS display " + name + ": interrupted", e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            String why = "KDS display " + name + " answered " + status + ": " + Text.clip(response.body(), 300);
            // 408/429/5xx: try again later; any other answer (4xx, 3xx, 410 "gone") will not change by retrying
            throw status == 408 || status == 429 || status >= 500 ? new TransientFailure(why)
                    : new PermanentFailure(why);
        }
    }
}
