package io.orderhub.adapter;

import io.orderhub.model.OrderStatus;
import io.orderhub.order.OrderEvent;
import io.orderhub.order.Timeline;
import io.orderhub.pipeline.StageHandler;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The channel-status stage: tells the vendor an order came from what the hub did with it (accepted, rejected with
 * the reason, each later status), through the adapter's {@code statusCall} and the vendor's API with its auth. A
 * change the vendor itself made is not echoed back to it. Own-channel orders have no vendor to tell.
 *
 * <p>A refund (made at the POS, say) that the vendor has no call for is not passed over in silence: the order's
 * timeline says that the channel was not told and why (the adapter's {@code status-mapping.refunded}, e.g. "none:
 * DoorDash has no refund endpoint; ..."), so that staff make the refund in the vendor's own portal.
 */
@Component
public class ChannelStatus implements StageHandler {

    private final AdapterRegistry adapters;
    private final VendorCallLog calls;
    private final Timeline timeline;

    public ChannelStatus(AdapterRegistry adapters, VendorCallLog calls, Timeline timeline) {
        this.adapters = adapters;
        this.calls = calls;
        this.timeline = timeline;
    }

    @Override
    public String stage() {
        return "channel-status";
    }

    /** Orders from a vendor's channel, for changes the vendor did not make itself; never own-channel orders. */
    @Override
    public boolean concerns(OrderEvent event) {
        if (event.order() == null) {
            return false;
        }
        Optional<Adapter> found = adapters.find(event.order().source());
        return found.isPresent() && !("vendor:" + found.get().id()).equals(event.actor());
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
            if (OrderEvent.STATUS_CHANGED.equals(event.type()) && event.order().status() == OrderStatus.REFUNDED) {
                timeline.record(event.orderId(), "channel-not-told", stage(), adapter.id(), adapter.descriptor().name()
                        + " was not told of the refund: " + noRefundCall(adapter));
            }
            return;
        }
        calls.send(event, stage(), adapter, call.get(), adapter.id() + ":" + event.eventId());
    }

    /** Why: the descriptor's {@code status-mapping.refunded} after its "none:", or a general explanation. */
    private static String noRefundCall(Adapter adapter) {
        java.util.Map<String, String> mapping = adapter.descriptor().statusMapping();
        String documented = mapping == null ? null : mapping.get("refunded");
        if (documented != null && documented.startsWith("none")) {
            String why = documented.replaceFirst("^none[:;,]?\\s*", "").trim();
            if (!why.isEmpty()) {
                return why;
            }
        }
        String name = adapter.descriptor().name();
        return "the " + adapter.id() + " adapter has no refund call; make the refund in " + name + "'s own portal";
    }
}
