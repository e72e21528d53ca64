package io.orderhub.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** The one lifecycle every system sees. Transitions are decided by {@link OrderStateMachine}. */
public enum OrderStatus {
    ACCEPTED, IN_PREPARATION, READY, DISPATCHED, COMPLETED, CANCELLED, REFUNDED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static OrderStatus fromWire(String value) {
        if (value == null) {
            return null;
        }
        String normalised = value.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        return Arrays.stream(values()).filter(s -> s.name().equals(normalised)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown status '" + value + "'; known: "
                        + Arrays.stream(values()).map(OrderStatus::wire).toList()));
    }
}
