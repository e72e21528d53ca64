package io.orderhub.bench;

import static org.awaitility.Awaitility.await;

import io.orderhub.support.HubProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the benchmarks read from the hub under test (its Prometheus counters) and from the machine. */
final class HubScrape {

    private HubScrape() {
    }

    /** Sum of a Prometheus series (all label sets) from the hub's /actuator/prometheus. */
    static double metric(HttpClient http, HubProcess hub, String series) throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(hub.uri("/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + series + "\\s+([0-9.eE+-]+)$").matcher(body);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    /**
     * Waits until every received payload is settled (order, rejection, duplicate, update, dead letter) and every
     * accepted one reached all stages (or a stage's dead-letter queue); wall-clock millis.
     */
    static long awaitDelivered(HttpClient http, HubProcess hub, int stages) {
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            double accepted = metric(http, hub, "orderhub_orders_accepted_total\\{[^}]*}");
            double settled = accepted + metric(http, hub, "orderhub_orders_rejected_total\\{[^}]*}")
                    + metric(http, hub, "orderhub_orders_duplicates_total\\{[^}]*}")
                    + metric(http, hub, "orderhub_orders_processed_total\\{[^}]*}")
                    + metric(http, hub, "orderhub_stage_dead_lettered_total\\{stage=\"intake\"[^}]*}");
            // a stage's dead letter (the demo's order whose phone the POS refuses) is settled too
            double stageDeadLetters = metric(http, hub, "orderhub_stage_dead_lettered_total\\{[^}]*}")
                    - metric(http, hub, "orderhub_stage_dead_lettered_total\\{stage=\"intake\"[^}]*}");
            return settled >= metric(http, hub, "orderhub_orders_received_total\\{[^}]*}")
                    && metric(http, hub, "orderhub_stage_delivered_total\\{[^}]*}") + stageDeadLetters
                    >= stages * accepted;
        });
        return System.nanoTime() / 1_000_000;
    }

    static long memoryGiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Math.round(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0);
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
