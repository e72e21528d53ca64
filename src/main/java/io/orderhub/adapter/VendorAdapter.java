package io.orderhub.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.order.OrderEvent;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The Java of one adapter folder ({@code adapters/<id>/*.java}, package {@code <id>}), named by {@code class:} in
 * its {@code adapter.yaml}. The kit does everything shared: signature check, durable storage before the answer,
 * dedupe, validation, the order store, retries and dead letters, auth on outbound calls. An adapter only says what
 * the vendor's payloads mean and what the vendor expects back.
 *
 * <p>Exceptions: throw {@link io.orderhub.pipeline.PermanentFailure} for a payload that can never be mapped,
 * {@link io.orderhub.pipeline.OrderRejected} for an order the restaurant cannot take (with reasons), and let
 * {@link VendorApi} throw {@link io.orderhub.pipeline.TransientFailure} for a vendor that is down.
 */
public interface VendorAdapter {

    /**
     * The identity of one webhook delivery, so that the vendor's retry of it is answered as success and stored
     * once: the vendor's event id, or where it has none, the order id plus event type. Empty: the kit uses a hash
     * of the body. Must not throw for malformed payloads (they are stored and dead-lettered with a reason).
     */
    Optional<String> eventKey(Webhook webhook);

    /**
     * Translate one stored payload (exactly as the vendor sent it). Thin events may fetch the full object through
     * {@code context.api()}.
     */
    Inbound translate(String payload, TranslationContext context, AdapterContext adapter);

    /**
     * The call that tells the vendor about this event of one of its orders, or empty when the vendor needs none.
     * Event types: {@code order.created} (the hub took the order: accept/confirm), {@code order.rejected} (the hub
     * cannot take it: deny/reject, {@code event.reason()} says why), {@code order.status_changed} (the order's new
     * status is {@code event.order().status()}). The vendor's own order id is the order's external id whose system
     * is this adapter's id.
     */
    Optional<VendorCall> statusCall(OrderEvent event, AdapterContext adapter);

    /**
     * A POS adapter ({@code kind: pos}): the call that puts this event's order into the POS of the order's location
     * ({@code adapter.storeOf(event.order().locationId())} is the POS's id for it), or empty when the POS needs no
     * call for this event. {@code idempotencyKey} is stable for the event: send it where the POS expects one.
     */
    default Optional<VendorCall> posCall(OrderEvent event, String idempotencyKey, AdapterContext adapter) {
        return Optional.empty();
    }

    /**
     * A cheap read that shows the vendor's API is answering, carrying no order (Square's ListLocations, say). The
     * hub asks it only when a message's own call got a 500 that opened the vendor's circuit: if the vendor answers
     * it, that message is the likely cause and its failure counts as an attempt (so a poison alone at a quiet hour
     * still becomes a dead letter); otherwise the vendor is down and the message waits for free. Empty (the
     * default): such failures never count as attempts.
     */
    default Optional<VendorCall> healthCall(AdapterContext adapter) {
        return Optional.empty();
    }

    /**
     * A vendor's one-time subscription check that arrives before any shared secret exists, unsigned (Clover's
     * verification POST carries the code to paste back into the vendor's dashboard): the text an operator needs, or
     * empty when this is not one. Asked only for a request whose signature check failed; the hub answers 200, logs
     * the text and stores nothing.
     */
    default Optional<String> handshake(String payload, AdapterContext adapter) {
        return Optional.empty();
    }

    /**
     * A webhook that batches several events (one POST naming several orders) as one payload per event: each is
     * stored and processed on its own, under its own event key, so none is lost behind another. The signature was
     * checked on the whole body before. Default: the payload as it is.
     */
    default List<String> split(String payload, AdapterContext adapter) {
        return List.of(payload);
    }

    /**
     * A message to an order's customer (kind {@code notifications}: SMS and the like): the call that sends
     * {@code message.text()} to {@code message.to()} from the sender the adapter's {@code stores} map gives the
     * order's location. Empty when this adapter cannot reach that customer.
     */
    default Optional<VendorCall> messageCall(CustomerMessage message, AdapterContext adapter) {
        return Optional.empty();
    }

    /** What the notifications stage asks a messaging adapter to send. {@code from}: the location's sender id. */
    record CustomerMessage(java.util.UUID orderId, String kind, String locationId, String from, String to,
                           String language, String text) {
    }

    /**
     * The POS answered a {@link #posCall} with success: read what the adapter needs later from the answer (the POS's
     * order id and version) and keep it with {@link AdapterContext#rememberOrder}.
     */
    default void posAnswered(OrderEvent event, VendorCall call, VendorApi.Response response, AdapterContext adapter) {
    }

    /**
     * A payload of this vendor that the hub gave up on (dead-lettered from the intake stage: unreadable, or its
     * order could not be fetched): the call that tells the vendor the order will not be made (deny), where the
     * payload still names an order, so the vendor does not wait for its own time-out. Best effort: the dead letter
     * stays for an operator whatever the vendor answers.
     */
    default Optional<VendorCall> refuseUnreadable(String payload, String reason, AdapterContext adapter) {
        return Optional.empty();
    }

    /**
     * Polling fallback for stores without webhooks (descriptor {@code polling.enabled}): payloads fetched since
     * the cursor, each treated exactly like a webhook body, and the next cursor (ETag, updated-since...).
     */
    default PollResult poll(String cursor, AdapterContext adapter) {
        return new PollResult(List.of(), cursor);
    }

    /** After the polled payloads are durably stored: tell the vendor (acknowledge events) where it needs that. */
    default void acknowledgePolled(List<String> payloads, AdapterContext adapter) {
    }

    record PollResult(List<String> payloads, String nextCursor) {
    }

    /** An inbound webhook after its signature was verified: the body, its JSON tree (null if not JSON), headers. */
    record Webhook(String body, JsonNode json, Function<String, String> header) {
    }

    /** What the hub knows of a stored payload: the hub id the order will take, and when it arrived. */
    record TranslationContext(UUID orderId, String correlationId, java.time.Instant receivedAt) {
    }
}
