package io.orderhub.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.adapter.Adapter;
import io.orderhub.adapter.AdapterDescriptor;
import io.orderhub.adapter.AdapterRegistry;
import io.orderhub.adapter.VendorAdapter;
import io.orderhub.adapter.VendorCall;
import io.orderhub.menu.Menu;
import io.orderhub.menu.MenuCatalog;
import io.orderhub.model.CanonicalOrder;
import io.orderhub.model.OrderStatus;
import io.orderhub.model.OrderType;
import io.orderhub.order.OrderEvent;
import io.orderhub.order.Timeline;
import io.orderhub.pipeline.PermanentFailure;
import io.orderhub.pipeline.StageHandler;
import io.orderhub.pipeline.TransientFailure;
import io.orderhub.support.Text;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The notifications stage: tells the customer what happens to their order (confirmed, preparing, ready for
 * pickup, out for delivery, cancelled, refunded) in the location's language, as an outbound webhook signed with
 * Standard Webhooks to each configured endpoint and as an SMS through each messaging adapter ({@code kind:
 * notifications}) that serves the location. Each (order, kind, channel) is sent once: table customer_notification
 * is checked and written around each send, so a redelivered event, a replay or a second status change to the same
 * state never tells the customer twice; a failed send is retried by the stage (broker redelivery, then its dead
 * letter queue) with the same webhook-id. Dine-in orders and orders rung up at a POS are not notified.
 */
@Component
public class CustomerNotifications implements StageHandler {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final NotificationProperties config;
    private final AdapterRegistry adapters;
    private final MenuCatalog menus;
    private final JdbcTemplate jdbc;
    private final Timeline timeline;
    private final ObjectMapper json;
    private final Clock clock;

    private final org.springframework.transaction.support.TransactionTemplate outside;

    public CustomerNotifications(NotificationProperties config, AdapterRegistry adapters, MenuCatalog menus,
                                 JdbcTemplate jdbc, Timeline timeline, ObjectMapper json, Clock clock,
                                 org.springframework.transaction.PlatformTransactionManager transactions) {
        this.outside = new org.springframework.transaction.support.TransactionTemplate(transactions);
        this.outside.setPropagationBehavior(org.springframework.transaction.TransactionDefinition
                .PROPAGATION_NOT_SUPPORTED);
        this.config = config;
        this.adapters = adapters;
        this.menus = menus;
        this.jdbc = jdbc;
        this.timeline = timeline;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String stage() {
        return "notifications";
    }

    /** What the customer is told for this event, if anything. */
    static Optional<String> kind(OrderEvent event) {
        CanonicalOrder o = event.order();
        if (o == null || o.type() == OrderType.DINE_IN) {
            return Optional.empty();
        }
        if (OrderEvent.CREATED.equals(event.type())) {
            return Optional.of("confirmed");
        }
        if (!OrderEvent.STATUS_CHANGED.equals(event.type())) {
            return Optional.empty();
        }
        OrderStatus s = o.status();
        return switch (s) {
            case IN_PREPARATION -> Optional.of("preparing");
            case READY -> o.type() == OrderType.DELIVERY ? Optional.empty() : Optional.of("ready");
            case DISPATCHED -> Optional.of("out_for_delivery");
            case CANCELLED -> Optional.of("cancelled");
            case REFUNDED -> Optional.of("refunded");
            default -> Optional.empty();
        };
    }

    /** Something to tell, a template for it and somewhere to send it: a webhook or an SMS adapter. */
    @Override
    public boolean concerns(OrderEvent event) {
        Optional<String> kind = kind(event);
        if (kind.isEmpty() || fromPos(event.order())) {
            return false;
        }
        CanonicalOrder order = event.order();
        if (config.template(order.locationId(), kind.get()) == null) {
            return false;
        }
        if (config.endpoints().stream().anyMatch(e -> e.serves(order.locationId()))) {
            return true;
        }
        String phone = order.customer() == null ? null : order.customer().phone();
        return phone != null && !phone.isBlank() && adapters.all().stream()
                .anyMatch(a -> a.descriptor().kind() == AdapterDescriptor.Kind.NOTIFICATIONS
                        && a.context().storeOf(order.locationId()).isPresent());
    }

    @Override
    public void handle(OrderEvent event) {
        Optional<String> kind = kind(event);
        if (kind.isEmpty() || fromPos(event.order())) {
            return;
        }
        CanonicalOrder order = event.order();
        String template = config.template(order.locationId(), kind.get());
        if (template == null) {
            return;
        }
        String language = config.language(order.locationId());
        String text = render(template, order, event.reason());
        List<RuntimeException> failures = new ArrayList<>();
        for (NotificationProperties.Endpoint endpoint : config.endpoints()) {
            if (endpoint.serves(order.locationId())) {
                attempt(failures, () -> webhook(endpoint, order, kind.get(), language, text));
            }
        }
        String phone = order.customer() == null ? null : order.customer().phone();
        if (phone != null && !phone.isBlank()) {
            for (Adapter a : adapters.all()) {
                if (a.descriptor().kind() != AdapterDescriptor.Kind.NOTIFICATIONS) {
                    continue;
                }
                Optional<String> from = a.context().storeOf(order.locationId());
                if (from.isPresent()) {
                    attempt(failures, () -> sms(a, from.get(), phone, order, kind.get(), language, text));
                }
            }
        }
        if (!failures.isEmpty()) {
            // the ones sent stay sent (recorded); the stage retries the rest
            throw failures.stream().filter(f -> !(f instanceof PermanentFailure)).findFirst()
                    .orElse(failures.get(0));
        }
    }

    private static void attempt(List<RuntimeException> failures, Runnable send) {
        try {
            send.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    private boolean fromPos(CanonicalOrder order) {
        return adapters.find(order.source()).map(a -> a.descriptor().kind() == AdapterDescriptor.Kind.POS)
                .orElse(false);
    }

    private void webhook(NotificationProperties.Endpoint endpoint, CanonicalOrder order, String kind,
                         String language, String text) {
        String channel = "webhook:" + endpoint.name();
        Optional<Claim> claim = claim(order.id(), kind, channel, text);
        if (claim.isEmpty()) {
            return;
        }
        Claim c = claim.get();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("orderId", order.id().toString());
        data.put("number", number(order));
        data.put("locationId", order.locationId());
        data.put("status", order.status().wire());
        data.put("language", language);
        data.put("message", text);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "order." + kind);
        payload.put("timestamp", claim.get().createdAt().toString());
        payload.put("data", data);
        String body;
        try {
            body = json.writeValueAsString(payload);
        } catch (java.io.IOException e) {
            throw new PermanentFailure("notification body: " + e.getMessage(), e);
        }
        Map<String, String> signature;
        try {
            signature = io.orderhub.signature.WebhookSigner.standardWebhooks(claim.get().messageId(),
                    Instant.now(clock).getEpochSecond(), endpoint.secret(), body);
        } catch (IllegalArgumentException e) {
            throw new PermanentFailure("the webhook secret is not a base64 Standard Webhooks secret", e);
        }
        HttpRequest.Builder signed = HttpRequest.newBuilder(URI.create(endpoint.url())).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").header("User-Agent", "OrderHub");
        signature.forEach(signed::header);
        HttpRequest request = signed
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw failed(c, new TransientFailure(channel + " " + e, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure(channel + " interrupted", e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            String why = channel + " answered " + status + ": " + Text.clip(response.body(), 300);
            throw failed(c, status == 408 || status == 429 || status >= 500
                    ? new TransientFailure(why) : new PermanentFailure(why));
        }
        sent(c, status + "");
    }

    private void sms(Adapter adapter, String from, String phone, CanonicalOrder order, String kind, String language,
                     String text) {
        String channel = "sms:" + adapter.id();
        VendorAdapter.CustomerMessage message = new VendorAdapter.CustomerMessage(order.id(), kind,
                order.locationId(), from, phone, language, text);
        Optional<VendorCall> call = adapter.vendor().messageCall(message, adapter.context());
        if (call.isEmpty()) {
            Optional<Claim> skipped = claim(order.id(), kind, channel, text);
            if (skipped.isPresent()) {
                mark(skipped.get(), "SKIPPED", "the phone cannot take an SMS");
                timeline.record(order.id(), "notification", stage(), adapter.id(), kind + ": no SMS, "
                        + "the customer's phone is not a number " + adapter.id() + " can text");
            }
            return;
        }
        Optional<Claim> claim = claim(order.id(), kind, channel, text);
        if (claim.isEmpty()) {
            return;
        }
        try {
            var answer = adapter.context().api().send(call.get(), claim.get().messageId());
            sent(claim.get(), answer.status() + ": " + Text.clip(answer.body(), 300));
        } catch (RuntimeException e) {
            throw failed(claim.get(), e);
        }
    }

    /** A message to send: its stable id, when it was first tried, its text. */
    private record Claim(UUID orderId, String kind, String channel, String messageId, Instant createdAt, String text) {
    }

    /**
     * The message to send, unless it was sent (or skipped) already. Read outside the stage delivery's transaction
     * (before the send); the row is written with the outcome, in that transaction (one commit per delivery).
     */
    private Optional<Claim> claim(UUID orderId, String kind, String channel, String text) {
        String messageId = "msg_" + UUID.nameUUIDFromBytes((orderId + "|" + kind + "|" + channel)
                .getBytes(StandardCharsets.UTF_8));
        List<Optional<Claim>> rows = outside.execute(tx -> jdbc.query("select state, created_at from "
                + "customer_notification where order_id = ? and kind = ? and channel = ?",
                (rs, n) -> "PENDING".equals(rs.getString(1)) || "FAILED".equals(rs.getString(1))
                        ? Optional.of(new Claim(orderId, kind, channel, messageId, rs.getTimestamp(2).toInstant(), text))
                        : Optional.<Claim>empty(), orderId, kind, channel));
        if (rows == null || rows.isEmpty()) {
            return Optional.of(new Claim(orderId, kind, channel, messageId, Instant.now(clock), text));
        }
        return rows.get(0);
    }

    private void sent(Claim claim, String answer) {
        mark(claim, "SENT", answer);
        timeline.record(claim.orderId(), "notification", stage(), claim.channel(), claim.kind() + " sent");
    }

    private RuntimeException failed(Claim claim, RuntimeException e) {
        mark(claim, "FAILED", e.getMessage());
        timeline.record(claim.orderId(), "notification-failed", stage(), claim.channel(), claim.kind() + ": "
                + e.getMessage());
        return e;
    }

    private void mark(Claim claim, String state, String answer) {
        Timestamp now = Timestamp.from(Instant.now(clock));
        int updated = jdbc.update("update customer_notification set state = ?, attempts = attempts + 1, answer = ?, "
                        + "sent_at = case when ? = 'SENT' then ? else sent_at end where order_id = ? and kind = ? and "
                        + "channel = ?", state, Text.clip(answer, 1000), state, now, claim.orderId(), claim.kind(),
                claim.channel());
        if (updated == 0) {
            jdbc.update("insert into customer_notification (order_id, kind, channel, message_id, state, attempts, "
                            + "text, answer, created_at, sent_at) values (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
                    claim.orderId(), claim.kind(), claim.channel(), claim.messageId(), state,
                    Text.clip(claim.text(), 1000), Text.clip(answer, 1000), Timestamp.from(claim.createdAt()),
                    "SENT".equals(state) ? now : null);
        }
    }

    String render(String template, CanonicalOrder order, String reason) {
        String name = order.customer() == null || order.customer().name() == null
                || order.customer().name().isBlank() ? "" : order.customer().name().trim().split("\\s+")[0];
        String location = menus.forLocation(order.locationId()).map(Menu::location).map(Menu.Location::name)
                .orElse(order.locationId());
        return template.replace("{name}", name).replace("{number}", number(order)).replace("{location}", location)
                .replace("{reason}", reason == null || reason.isBlank() ? "" : " - " + reason)
                .replaceAll("\\s+([,.!])", "$1").trim();
    }

    private static String number(CanonicalOrder order) {
        return order.displayId() != null ? order.displayId() : order.id().toString().substring(0, 6).toUpperCase();
    }
}
