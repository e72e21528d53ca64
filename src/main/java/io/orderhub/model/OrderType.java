package io.orderhub.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

public enum OrderType {
    DINE_IN, PICKUP, CURBSIDE, DELIVERY;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static OrderType fromWire(String value) {
        if (value == null) {
            return null;
        }
        String normalised = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(values()).filter(s -> s.name().equals(normalised)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown order type '" + value + "'; known: "
                        + Arrays.stream(values()).map(OrderType::wire).toList()));
    }
}
