package io.orderhub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Rules that keep the repository in order; each failure names the file to fix. */
class HouseRulesTest {

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    private List<Path> routeFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            routes.filter(p -> p.toString().endsWith(".yaml")).forEach(files::add);
        }
        if (Files.isDirectory(Path.of("adapters"))) {
            try (Stream<Path> adapters = Files.walk(Path.of("adapters"))) {
                adapters.filter(p -> p.toString().endsWith(".camel.yaml")).forEach(files::add);
            }
        }
        return files;
    }

    @Test
    void everyRouteHasAnIdOfTheAgreedShape() throws IOException {
        Pattern shape = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)+");
        for (Path file : routeFiles()) {
            for (JsonNode item : yaml.readTree(file.toFile())) {
                JsonNode route = item.has("route") ? item.get("route") : item.get("routeTemplate");
                if (route != null) {
                    assertThat(route.path("id").asText()).as("route id in " + file).matches(shape);
                }
                if (item.has("templatedRoute")) {
                    assertThat(item.get("templatedRoute").path("routeId").asText()).as("routeId in " + file)
                            .matches(shape);
                }
                assertThat(item.has("from")).as(file + ": a bare 'from' has no id; use '- route:' with an id")
                        .isFalse();
            }
        }
    }

    @Test
    void everyConfiguredStageHasAConsumerRouteAndNoMore() throws IOException {
        JsonNode config = yaml.readTree(Path.of("config/application.yaml").toFile());
        Set<String> configured = new TreeSet<>();
        config.path("orderhub").path("stages").forEach(s -> configured.add(s.asText()));
        Set<String> routed = new TreeSet<>();
        for (JsonNode item : yaml.readTree(Path.of("routes/stages.yaml").toFile())) {
            if (item.has("templatedRoute")) {
                item.get("templatedRoute").path("parameters").forEach(p -> routed.add(p.path("value").asText()));
            }
        }
        assertThat(routed).as("stages in routes/stages.yaml").isEqualTo(configured).isNotEmpty();
    }

    @Test
    void queueConsumingRoutesOptIntoTheOneErrorPolicy() throws IOException {
        for (Path file : routeFiles()) {
            for (JsonNode item : yaml.readTree(file.toFile())) {
                JsonNode route = item.has("route") ? item.get("route")
                        : item.has("routeTemplate") ? item.get("routeTemplate").get("route") : null;
                if (route != null && route.path("from").path("uri").asText().startsWith("jms:")) {
                    assertThat(route.path("routeConfigurationId").asText()).as(file + " " + route.path("id"))
                            .isEqualTo("stage-errors");
                }
            }
        }
    }

    @Test
    void noMockEndpointsInProductionRoutes() throws IOException {
        for (Path file : routeFiles()) {
            assertThat(Files.readString(file)).as(file.toString()).doesNotContainPattern("(uri|to):\\s*\"?mock:");
        }
    }

    @Test
    void readmeGivesBothCommandsAndCiRunsTheTestOne() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains("mvn spring-boot:run").contains("mvn verify");
        assertThat(Files.readString(Path.of(".ci/run"))).contains("mvn").contains("verify");
        Matcher links = Pattern.compile("\\]\\((docs/[^)#]+)").matcher(readme);
        while (links.find()) {
            assertThat(Path.of(links.group(1))).as("README links " + links.group(1)).exists();
        }
    }

    @Test
    void sharedCodeNamesNoVendor() throws IOException {
        Pattern vendors = Pattern.compile("(?i)\\b(uber|doordash|deliveroo|grubhub|square|toast|clover|opentable)\\b");
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path p : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = vendors.matcher(Files.readString(p).replaceAll("(?s)/\\*.*?\\*/|//[^\\n]*", ""));
                assertThat(m.find()).as(p + " names a vendor outside adapters/").isFalse();
            }
        }
    }
}
