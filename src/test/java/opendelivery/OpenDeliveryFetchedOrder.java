package opendelivery;

import io.orderhub.adapter.AdapterContext;
import io.orderhub.adapter.VendorAdapter.TranslationContext;
import io.orderhub.model.CanonicalOrder;

/**
 * For the JMH translation benchmark: what {@link OpenDeliveryAdapter#translate} does with the body of
 * {@code GET /v1/orders/{orderId}} once it has it (read with BigDecimal decimals, then {@link OrderMapper}), without
 * the HTTP call. Lives in the adapter's package because the mapper is package-private.
 */
public final class OpenDeliveryFetchedOrder {

    private OpenDeliveryFetchedOrder() {
    }

    public static CanonicalOrder map(String fetchedBody, TranslationContext context, AdapterContext adapter) {
        return OrderMapper.map(OrderMapper.readDecimalTree(adapter, fetchedBody, "GET order"), context, adapter);
    }
}
