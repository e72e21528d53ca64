package io.orderhub.adapter;

import io.orderhub.order.OrderEvent;
import io.orderhub.pipeline.StageHandler;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The channel-status stage: tells the vendor an order came from what the hub did with it (accepted, rejected with
 * the reason, each later status), through the adapter's {@code statusCall} and the vendor's API with its auth. A
 * change the vendor itself made is not echoed back to it. Own-channel orders have no vendor to tell.
 */
@Component
public class ChannelStatus implements StageHandler {

    private final AdapterRegistry adapters;
    private final VendorCallLog calls;

    public ChannelStatus(AdapterRegistry adapters, VendorCallLog calls) {
        this.adapters = adapters;
        this.calls = calls;
    }

    @Override
    public String stage() {
        return "channel-status";
    }

    @Override
    public void handle(OrderEvent event) {
        if (event.order() == null) {
            return;
        }
        Optional<Adapter> found = adapters.find(event.order().source());
        if (found.isEmpty() || ("vendor:" + found.get().id()).equals(event.actor())) {
            return;
        }
        Adapter adapter = found.get();
        Optional<VendorCall> call = adapter.vendor().statusCall(event, adapter.context());
        if (call.isEmpty()) {
            return;
        }
        calls.send(event, stage(), adapter, call.get(), adapter.id() + ":" + event.eventId());
    }
}
