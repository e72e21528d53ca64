package io.orderhub.order;

import io.orderhub.model.CanonicalOrder;
import java.time.Instant;
import java.util.UUID;

/**
 * What every stage receives: an event about one order with the order as it stands. {@code eventId} is stable for
 * a given change, so a re-publish after a crash is recognised by the broker and by each stage.
 */
public record OrderEvent(String eventId, String type, UUID orderId, long version, Instant occurredAt, String actor,
                         String reason, CanonicalOrder order) {

    public static final String CREATED = "order.created";
    public static final String STATUS_CHANGED = "order.status_changed";
    /** A vendor's order the hub could not take (validation): the channel is told, with the reason. */
    public static final String REJECTED = "order.rejected";

    public static OrderEvent created(CanonicalOrder order) {
        return new OrderEvent(CREATED + ":" + order.id(), CREATED, order.id(), order.version(), order.createdAt(),
                order.source(), null, order);
    }

    public static OrderEvent rejected(CanonicalOrder order, String reason) {
        return new OrderEvent(REJECTED + ":" + order.id(), REJECTED, order.id(), order.version(), order.createdAt(),
                "hub", reason, order);
    }

    public static OrderEvent statusChanged(CanonicalOrder order, String actor, String reason) {
        return new OrderEvent(STATUS_CHANGED + ":" + order.id() + ":" + order.version(), STATUS_CHANGED, order.id(),
                order.version(), order.updatedAt(), actor, reason, order);
    }
}
