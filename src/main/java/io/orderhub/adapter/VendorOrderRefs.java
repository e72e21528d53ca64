package io.orderhub.adapter;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The adapter kit's memory of orders it put into a vendor's system (a POS): the vendor's id for the order, the
 * version the vendor last reported, and the adapter's own small data (a fulfilment uid). An adapter records it from
 * the vendor's answer ({@link VendorAdapter#posAnswered}) or a webhook, and reads it to move the order later
 * (UpdateOrder with the version, a void). Kept in the database (table vendor_order_ref), so any hub instance can.
 */
public interface VendorOrderRefs {

    /** One order at one vendor. {@code data} is the adapter's own (JSON text, at most 4,000 characters). */
    record Ref(UUID orderId, String vendorOrderId, String version, String data) {
    }

    /** Records or replaces the vendor's reference; the vendor's id also becomes an external id of the order. */
    void remember(String adapter, Ref ref);

    Optional<Ref> find(String adapter, UUID orderId);

    Optional<Ref> findByVendorId(String adapter, String vendorOrderId);

    /** For adapters run without a database (golden-sample runs, the scaffold check). */
    static VendorOrderRefs inMemory() {
        Map<String, Ref> byOrder = new ConcurrentHashMap<>();
        return new VendorOrderRefs() {
            @Override
            public void remember(String adapter, Ref ref) {
                byOrder.put(adapter + "|" + ref.orderId(), ref);
            }

            @Override
            public Optional<Ref> find(String adapter, UUID orderId) {
                return Optional.ofNullable(byOrder.get(adapter + "|" + orderId));
            }

            @Override
            public Optional<Ref> findByVendorId(String adapter, String vendorOrderId) {
                return byOrder.entrySet().stream().filter(e -> e.getKey().startsWith(adapter + "|"))
                        .map(Map.Entry::getValue).filter(r -> r.vendorOrderId().equals(vendorOrderId)).findFirst();
            }
        };
    }
}
