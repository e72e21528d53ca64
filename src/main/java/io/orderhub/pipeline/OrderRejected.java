package io.orderhub.pipeline;

import java.util.List;

/** The order is well formed but cannot be made: unknown item, wrong price, modifier rules broken. */
public class OrderRejected extends RuntimeException {

    private final List<String> reasons;

    public OrderRejected(List<String> reasons) {
        super(String.join("; ", reasons));
        this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
        return reasons;
    }
}
