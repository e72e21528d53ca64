package io.orderhub.support;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.orderhub.HubProperties;
import io.orderhub.adapter.AdapterRegistry;
import io.orderhub.menu.MenuCatalog;
import io.orderhub.signature.SignatureSchemes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/**
 * The adapters without a running hub: the registry over adapters/ with the sandbox configuration
 * (config/application-sandbox.yaml over config/application.yaml), each adapter's stubs served locally, and a JSON
 * mapper configured as the hub's. For golden-sample, hostile-input and translation-cost runs.
 */
public final class OfflineAdapters {

    public static final ObjectMapper JSON = Jackson2ObjectMapperBuilder.json()
            .featuresToDisable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .featuresToEnable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .serializationInclusion(JsonInclude.Include.NON_NULL).build();

    private OfflineAdapters() {
    }

    public static AdapterRegistry registry(Clock clock) throws IOException {
        return registry(clock, java.util.Map.of());
    }

    /** The same, with {@code overrides} (property name -> value) before every configuration file. */
    public static AdapterRegistry registry(Clock clock, java.util.Map<String, Object> overrides) throws IOException {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addLast(new org.springframework.core.env.MapPropertySource("test-overrides",
                overrides));
        YamlPropertySourceLoader loader = new YamlPropertySourceLoader();
        for (String file : List.of("config/application-sandbox.yaml", "config/application.yaml")) {
            loader.load(file, new FileSystemResource(file)).forEach(env.getPropertySources()::addLast);
        }
        MenuCatalog menus = new MenuCatalog(new HubProperties(null, Path.of("config/menus"), null, null, null, null,
                null, null, null));
        return new AdapterRegistry(Path.of("adapters"), env, JSON, menus, clock, new SignatureSchemes(), true,
                io.orderhub.adapter.VendorResilience.Factory.standalone(env, clock));
    }
}
