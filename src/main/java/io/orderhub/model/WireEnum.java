package io.orderhub.model;

import java.util.Arrays;
import java.util.Locale;

/** Enums written on the wire in lower snake case ("in_preparation"), read leniently ("In-Preparation"). */
final class WireEnum {

    private WireEnum() {
    }

    static String wire(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> E parse(Class<E> type, String value, String what) {
        if (value == null) {
            return null;
        }
        String normalised = value.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        E[] constants = type.getEnumConstants();
        return Arrays.stream(constants).filter(c -> c.name().equals(normalised)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown " + what + " '" + value + "'; known: "
                        + Arrays.stream(constants).map(WireEnum::wire).toList()));
    }
}
