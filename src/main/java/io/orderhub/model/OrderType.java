package io.orderhub.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

public enum OrderType {
    DINE_IN, PICKUP, CURBSIDE, DELIVERY;

    @JsonValue
    public String wire() {
        return WireEnum.wire(this);
    }

    @JsonCreator
    public static OrderType fromWire(String value) {
        return WireEnum.parse(OrderType.class, value, "order type");
    }
}
