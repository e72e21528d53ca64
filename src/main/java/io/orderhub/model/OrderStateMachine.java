package io.orderhub.model;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The single state machine for canonical orders. Every system (channel, POS, KDS, operator) moves an order
 * through {@link #check}; an illegal move comes back with a reason that callers show as is.
 */
public final class OrderStateMachine {

    private static final Map<OrderStatus, Set<OrderStatus>> NEXT = new EnumMap<>(OrderStatus.class);

    static {
        NEXT.put(OrderStatus.ACCEPTED, EnumSet.of(OrderStatus.IN_PREPARATION, OrderStatus.CANCELLED));
        NEXT.put(OrderStatus.IN_PREPARATION, EnumSet.of(OrderStatus.READY, OrderStatus.CANCELLED));
        NEXT.put(OrderStatus.READY, EnumSet.of(OrderStatus.DISPATCHED, OrderStatus.COMPLETED, OrderStatus.CANCELLED));
        NEXT.put(OrderStatus.DISPATCHED, EnumSet.of(OrderStatus.COMPLETED));
        NEXT.put(OrderStatus.COMPLETED, EnumSet.of(OrderStatus.REFUNDED));
        NEXT.put(OrderStatus.CANCELLED, EnumSet.of(OrderStatus.REFUNDED));
        NEXT.put(OrderStatus.REFUNDED, EnumSet.noneOf(OrderStatus.class));
    }

    private OrderStateMachine() {
    }

    public static Set<OrderStatus> allowedFrom(OrderStatus from) {
        Set<OrderStatus> next = NEXT.get(from);
        return next == null || next.isEmpty() ? EnumSet.noneOf(OrderStatus.class) : EnumSet.copyOf(next);
    }

    /** Empty when the move is legal, otherwise the reason it is refused. */
    public static Optional<String> check(OrderStatus from, OrderStatus to, OrderType type) {
        if (from == to) {
            return Optional.of("order is already " + to.wire());
        }
        Set<OrderStatus> allowed = NEXT.getOrDefault(from, EnumSet.noneOf(OrderStatus.class));
        if (!allowed.contains(to)) {
            String options = allowed.isEmpty() ? "none, " + from.wire() + " is final"
                    : allowed.stream().map(OrderStatus::wire).collect(Collectors.joining(", "));
            return Optional.of("cannot move an order from " + from.wire() + " to " + to.wire()
                    + "; allowed next: " + options);
        }
        if (to == OrderStatus.DISPATCHED && type != OrderType.DELIVERY) {
            return Optional.of("only delivery orders are dispatched; a " + type.wire()
                    + " order goes from ready to completed");
        }
        return Optional.empty();
    }
}
