package io.orderhub.adapter;

import io.orderhub.support.Text;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * When a vendor's payload is dead-lettered from the intake stage, tells the vendor the order will not be made,
 * through the adapter's {@code refuseUnreadable} (Uber Eats: deny, instead of the order timing out unaccepted).
 * Best effort: a failed call is logged and the dead letter remains the operator's record.
 */
@Component
public class VendorRefusals {

    private static final Logger log = LoggerFactory.getLogger(VendorRefusals.class);

    private final AdapterRegistry adapters;

    public VendorRefusals(AdapterRegistry adapters) {
        this.adapters = adapters;
    }

    public void unreadable(String source, String payload, String reason, String intakeId) {
        Optional<Adapter> adapter = adapters.find(source);
        if (adapter.isEmpty() || payload == null) {
            return;
        }
        try {
            Optional<VendorCall> call = adapter.get().vendor().refuseUnreadable(payload, reason,
                    adapter.get().context());
            if (call.isPresent()) {
                VendorApi.Response r = adapter.get().context().api().send(call.get(),
                        adapter.get().id() + ":refuse:" + intakeId);
                log.warn("{} told that intake {} will not become an order: {} {} answered {}", source, intakeId,
                        call.get().method(), call.get().path(), r.status());
            }
        } catch (RuntimeException e) {
            log.error("{} could not be told that intake {} will not become an order: {}", source, intakeId,
                    Text.clip(String.valueOf(e.getMessage()), 300));
        }
    }
}
