package io.orderhub.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderhub.HubProperties;
import io.orderhub.menu.MenuCatalog;
import io.orderhub.signature.SignatureSchemes;
import io.orderhub.support.OfflineAdapters;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/**
 * {@code orderhub.adapters.<id>.sandbox=false} in the sandbox profile: no local stub for that adapter and its
 * configured URLs used as they are (the reliability drills run Square's stub outside the hub); the other adapters
 * keep their sandboxes.
 */
class AdapterSandboxSwitchTest {

    @Test
    void anAdapterLeftOutOfTheSandboxUsesItsConfiguredUrl() throws Exception {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("drill", Map.of(
                "orderhub.adapters.square.sandbox", "false",
                "orderhub.adapters.square.base-url", "http://127.0.0.1:9/square")));
        YamlPropertySourceLoader loader = new YamlPropertySourceLoader();
        for (String file : List.of("config/application-sandbox.yaml", "config/application.yaml")) {
            loader.load(file, new FileSystemResource(file)).forEach(env.getPropertySources()::addLast);
        }
        MenuCatalog menus = new MenuCatalog(new HubProperties(null, Path.of("config/menus"), null, null, null, null,
                null, null, null));
        Clock clock = Clock.systemUTC();
        try (AdapterRegistry registry = new AdapterRegistry(Path.of("adapters"), env, OfflineAdapters.JSON, menus,
                clock, new SignatureSchemes(), true, VendorResilience.Factory.standalone(env, clock))) {
            assertThat(registry.find("square")).isPresent();
            assertThat(registry.sandbox("square")).isEmpty();
            AdapterContext square = registry.find("square").orElseThrow().context();
            assertThat(square.sandboxed()).isFalse();
            assertThat(square.setting("base-url")).hasValue("http://127.0.0.1:9/square");

            int doordashStub = registry.sandbox("doordash").orElseThrow().port();
            assertThat(registry.find("doordash").orElseThrow().context().setting("base-url"))
                    .hasValue("http://127.0.0.1:" + doordashStub + "/marketplace/api/v1");
        }
    }
}
