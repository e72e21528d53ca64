package io.orderhub.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The one lifecycle every system sees. Transitions are decided by {@link OrderStateMachine}. */
public enum OrderStatus {
    ACCEPTED, IN_PREPARATION, READY, DISPATCHED, COMPLETED, CANCELLED, REFUNDED;

    @JsonValue
    public String wire() {
        return WireEnum.wire(this);
    }

    @JsonCreator
    public static OrderStatus fromWire(String value) {
        return WireEnum.parse(OrderStatus.class, value, "status");
    }
}
