package clover;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.adapter.AdapterContext;
import io.orderhub.adapter.VendorAdapter.TranslationContext;
import io.orderhub.menu.Menu;
import io.orderhub.model.CanonicalOrder;
import java.io.IOException;
import java.util.List;

/**
 * For the JMH translation benchmark: what {@link CloverAdapter#translate} does with the body of
 * {@code GET /v3/merchants/{mId}/orders/{id}?expand=...} for a paid walk-in once it has it (parse, keep the line
 * items that are not refunded or exchanged, then {@link CloverOrderMapper}), without the HTTP call. Lives in the
 * adapter's package because the mapper is package-private.
 */
public final class CloverFetchedOrder {

    private CloverFetchedOrder() {
    }

    public static CanonicalOrder map(String fetchedBody, String merchantId, TranslationContext context,
                                     AdapterContext adapter) throws IOException {
        JsonNode order = adapter.json().readTree(fetchedBody);
        String orderId = CloverJson.text(order, "id");
        Menu.Location location = adapter.locationForStore(merchantId).orElseThrow();
        List<JsonNode> lineItems = CloverJson.elements(order.get("lineItems")).stream()
                .filter(li -> !CloverJson.flag(li, "refunded") && !CloverJson.flag(li, "exchanged")).toList();
        return new CloverOrderMapper(adapter, location, orderId).map(order, lineItems, context);
    }
}
