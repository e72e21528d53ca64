package square;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.adapter.AdapterContext;
import io.orderhub.adapter.VendorAdapter.TranslationContext;
import io.orderhub.menu.Menu;
import io.orderhub.model.CanonicalOrder;

/**
 * For the JMH translation benchmark: what {@link SquareAdapter#translate} does with the RetrieveOrder answer of a
 * new (walk-in or online) order once it has it (read the {@code order} object, find the hub location and the first
 * fulfilment, then {@link SquareOrderMapper}), without the HTTP call. Lives in the adapter's package because the
 * mapper is package-private.
 */
public final class SquareFetchedOrder {

    private SquareFetchedOrder() {
    }

    public static CanonicalOrder map(String fetchedBody, TranslationContext context, AdapterContext adapter) {
        JsonNode order = adapter.readObject(fetchedBody, "RetrieveOrder answer").get("order");
        String orderId = SquareAdapter.text(order, "id");
        Menu.Location location = adapter.locationForStore(SquareAdapter.text(order, "location_id")).orElseThrow();
        JsonNode list = order.get("fulfillments");
        JsonNode fulfillment = list != null && list.isArray() && !list.isEmpty() && list.get(0).isObject()
                ? list.get(0) : null;
        return new SquareOrderMapper(adapter, context).map(order, orderId, location, fulfillment);
    }
}
