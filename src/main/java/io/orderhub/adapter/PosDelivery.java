package io.orderhub.adapter;

import io.orderhub.order.OrderEvent;
import io.orderhub.pipeline.StageHandler;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The pos stage: puts each order into the POS of its location, through every enabled {@code kind: pos} adapter
 * whose {@code stores} map names that location, with the adapter's call, its auth and an idempotency key stable
 * per event (a redelivered event never makes a second POS order). A location without a POS adapter needs no call.
 * Request and answer go on the order's timeline (VendorCallLog).
 */
@Component
public class PosDelivery implements StageHandler {

    private final AdapterRegistry adapters;
    private final VendorCallLog calls;

    public PosDelivery(AdapterRegistry adapters, VendorCallLog calls) {
        this.adapters = adapters;
        this.calls = calls;
    }

    @Override
    public String stage() {
        return "pos";
    }

    @Override
    public void handle(OrderEvent event) {
        if (event.order() == null) {
            return;
        }
        for (Adapter adapter : adapters.all()) {
            if (adapter.descriptor().kind() != AdapterDescriptor.Kind.POS
                    || adapter.context().storeOf(event.order().locationId()).isEmpty()
                    || ("vendor:" + adapter.id()).equals(event.actor())
                    || adapter.id().equals(event.order().source())) {
                // an order that came from this POS, or a change it made, is not sent back to it
                continue;
            }
            String key = adapter.id() + ":" + event.eventId();
            Optional<VendorCall> call = adapter.vendor().posCall(event, key, adapter.context());
            if (call.isEmpty()) {
                continue;
            }
            VendorApi.Response answer = calls.send(event, stage(), adapter, call.get(), key);
            adapter.vendor().posAnswered(event, call.get(), answer, adapter.context());
        }
    }
}
