package io.orderhub.adapter;

import io.orderhub.model.CanonicalOrder;
import io.orderhub.model.OrderStatus;

/** What one stored vendor payload means for the hub, as its adapter translates it. */
public sealed interface Inbound permits Inbound.NewOrder, Inbound.OrderUpdate, Inbound.Ignored {

    /**
     * A new order. Its {@code externalIds} must hold one entry whose system is the adapter id: that id is the
     * order's business key ({@code <adapter>:<external id>}), so the same order sent again is one order.
     */
    record NewOrder(CanonicalOrder order) implements Inbound {
    }

    /** The vendor moved an order the hub already has (cancelled by the guest, completed...). */
    record OrderUpdate(String externalOrderId, OrderStatus status, String reason) implements Inbound {
    }

    /** A payload that needs nothing from the hub (a store event, a status the hub itself sent); kept, not lost. */
    record Ignored(String why) implements Inbound {
    }
}
