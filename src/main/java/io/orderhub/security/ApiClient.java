package io.orderhub.security;

import java.util.List;

/** A channel client of the own-channel API, scoped to one brand and some of its locations and channels. */
public record ApiClient(String id, String name, String keyId, String keyHash, String brandId, List<String> locations,
                        List<String> channels, boolean enabled) {

    public boolean mayUseLocation(String locationId) {
        return locations.contains(locationId);
    }

    public boolean mayUseChannel(String channel) {
        return channels.contains(channel);
    }

    @Override
    public String toString() {
        // never print the key hash
        return "ApiClient[" + id + "]";
    }
}
