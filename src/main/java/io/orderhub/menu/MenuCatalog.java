package io.orderhub.menu;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.orderhub.HubProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Menus per location, read from {@code orderhub.menus-dir} at start. Menus are configuration, versioned with the
 * repository; every instance reads the same files, so nothing here is state a second instance would miss.
 */
@Component
public class MenuCatalog {

    private static final Logger log = LoggerFactory.getLogger(MenuCatalog.class);

    private final Map<String, Menu> byLocation = new ConcurrentHashMap<>();

    public MenuCatalog(HubProperties properties) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        Path dir = properties.menusDir();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("menus directory not found: " + dir.toAbsolutePath());
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().forEach(p -> {
                try {
                    Menu menu = yaml.readValue(p.toFile(), Menu.class);
                    byLocation.put(menu.location().id(), menu);
                    log.info("Loaded menu for location {} ({} items) from {}", menu.location().id(),
                            menu.items().size(), p.getFileName());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read menu " + p, e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<Menu> forLocation(String locationId) {
        return Optional.ofNullable(locationId).map(byLocation::get);
    }
}
