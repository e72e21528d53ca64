package ubereats;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.adapter.AdapterContext;
import io.orderhub.adapter.VendorAdapter.TranslationContext;
import io.orderhub.model.CanonicalOrder;
import java.io.IOException;

/**
 * For the JMH translation benchmark: what {@link UberEatsAdapter#translate} does with the body of
 * {@code GET /v2/eats/order/{id}} once it has it (parse as VendorApi.getJson does, then {@link UberOrderMapper}),
 * without the HTTP call. Lives in the adapter's package because the mapper is package-private.
 */
public final class UberEatsFetchedOrder {

    private UberEatsFetchedOrder() {
    }

    public static CanonicalOrder map(String fetchedBody, String orderId, String webhookStoreId, boolean scheduled,
                                     TranslationContext context, AdapterContext adapter) throws IOException {
        JsonNode order = adapter.json().readTree(fetchedBody);
        return new UberOrderMapper(adapter, context).map(order, orderId, webhookStoreId, scheduled);
    }
}
