package io.orderhub.adapter;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.menu.Menu;
import io.orderhub.menu.MenuCatalog;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * What an adapter may use: its settings (configuration over descriptor defaults), the vendor's API with auth,
 * the locations' menus, the store-to-location map, JSON and the clock.
 */
public final class AdapterContext {

    private final AdapterDescriptor descriptor;
    private final Environment environment;
    private final ObjectMapper json;
    private final MenuCatalog menus;
    private final Clock clock;
    private final String sandboxOrigin;
    private final Map<String, String> stores;
    private final VendorApi api;
    private final VendorOrderRefs refs;

    AdapterContext(AdapterDescriptor descriptor, Environment environment, ObjectMapper json, MenuCatalog menus,
                   Clock clock, String sandboxOrigin, VendorResilience.Factory resilience, VendorOrderRefs refs) {
        this.refs = refs;
        this.descriptor = descriptor;
        this.environment = environment;
        this.json = json;
        this.menus = menus;
        this.clock = clock;
        this.sandboxOrigin = sandboxOrigin;
        this.stores = Binder.get(environment).bind(prefix() + "stores", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        this.api = new VendorApi(this, resilience);
    }

    public String id() {
        return descriptor.id();
    }

    public AdapterDescriptor descriptor() {
        return descriptor;
    }

    public ObjectMapper json() {
        return json;
    }

    public Clock clock() {
        return clock;
    }

    public VendorApi api() {
        return api;
    }

    private String prefix() {
        return "orderhub.adapters." + descriptor.id() + ".";
    }

    /**
     * A setting: {@code orderhub.adapters.<id>.<name>} from configuration or environment, else the descriptor's
     * default. In a sandbox, every {@code *-url} setting points at the local stub server instead of the vendor.
     */
    public Optional<String> setting(String name) {
        // settings do not change while the hub runs; Environment look-ups showed in the webhook profile
        return settings.computeIfAbsent(name, this::resolve);
    }

    private final java.util.Map<String, Optional<String>> settings = new java.util.concurrent.ConcurrentHashMap<>();

    private Optional<String> resolve(String name) {
        String value = environment.getProperty(prefix() + name);
        if (value == null && descriptor.settings() != null) {
            value = descriptor.settings().get(name);
        }
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(name.endsWith("url") ? sandboxed(value) : value);
    }

    public String requiredSetting(String name) {
        return setting(name).orElseThrow(() -> new IllegalStateException("adapter " + id() + " needs setting '"
                + prefix() + name + "' (or its environment variable)"));
    }

    public int intSetting(String name, int fallback) {
        return setting(name).map(Integer::parseInt).orElse(fallback);
    }

    String sandboxed(String url) {
        if (sandboxOrigin == null) {
            return url;
        }
        java.net.URI u = java.net.URI.create(url);
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        return sandboxOrigin + path + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    public boolean sandboxed() {
        return sandboxOrigin != null;
    }

    /** This vendor's id of the hub location (the {@code stores} map read backwards), if it serves it. */
    public Optional<String> storeOf(String locationId) {
        return stores.entrySet().stream().filter(e -> e.getValue().equals(locationId)).map(Map.Entry::getKey)
                .findFirst();
    }

    /** The vendor's store ids this hub serves ({@code orderhub.adapters.<id>.stores}), sorted. */
    public List<String> storeIds() {
        return stores.keySet().stream().sorted().toList();
    }

    /** The hub location a vendor's store id stands for ({@code orderhub.adapters.<id>.stores.<store id>}). */
    public Optional<Menu.Location> locationForStore(String vendorStoreId) {
        if (vendorStoreId == null) {
            return Optional.empty();
        }
        String location = stores.get(vendorStoreId);
        return location == null ? Optional.empty() : menus.forLocation(location).map(Menu::location);
    }

    public Optional<Menu> menu(String locationId) {
        return menus.forLocation(locationId);
    }

    /**
     * A vendor payload or answer as JSON; empty or malformed text is a {@link io.orderhub.pipeline.PermanentFailure}
     * that names this adapter and what the text was ("webhook body", "order answer"...).
     */
    public com.fasterxml.jackson.databind.JsonNode readJson(String text, String what) {
        try {
            com.fasterxml.jackson.databind.JsonNode node = text == null ? null : json.readTree(text);
            if (node == null || node.isMissingNode() || node.isNull()) {
                throw new io.orderhub.pipeline.PermanentFailure(id() + ": empty " + what);
            }
            return node;
        } catch (java.io.IOException e) {
            throw new io.orderhub.pipeline.PermanentFailure(id() + ": " + what + " is not JSON: "
                    + e.getMessage(), e);
        }
    }

    /** {@link #readJson}, and it must be a JSON object. */
    public com.fasterxml.jackson.databind.JsonNode readObject(String text, String what) {
        com.fasterxml.jackson.databind.JsonNode node = readJson(text, what);
        if (!node.isObject()) {
            throw new io.orderhub.pipeline.PermanentFailure(id() + ": " + what + " is not a JSON object");
        }
        return node;
    }

    /** The vendor's id of an order: the external id whose system is this adapter. */
    /**
     * Remembers what this vendor calls a hub order (its id, its version, the adapter's own data): the id becomes an
     * external id of the order, so this vendor's webhooks about it find it.
     */
    public void rememberOrder(java.util.UUID orderId, String vendorOrderId, String version, String data) {
        refs.remember(id(), new VendorOrderRefs.Ref(orderId, vendorOrderId, version, data));
    }

    /** What this vendor calls the hub's order, if the hub put it there (or learned it from a webhook). */
    public Optional<VendorOrderRefs.Ref> orderRef(java.util.UUID orderId) {
        return refs.find(id(), orderId);
    }

    public Optional<VendorOrderRefs.Ref> orderRefByVendorId(String vendorOrderId) {
        return refs.findByVendorId(id(), vendorOrderId);
    }

    public Optional<String> vendorOrderId(io.orderhub.model.CanonicalOrder order) {
        return order.externalIds() == null ? Optional.empty() : order.externalIds().stream()
                .filter(e -> id().equals(e.system())).map(io.orderhub.model.CanonicalOrder.ExternalId::id).findFirst();
    }
}
