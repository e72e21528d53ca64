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
        return sum(scrape(http, hub), series);
    }

    /** One scrape of the hub's /actuator/prometheus (a scrape costs the hub CPU: read it once per check). */
    static String scrape(HttpClient http, HubProcess hub) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(hub.uri("/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Sum of a series (all label sets matching the pattern) in one scrape. */
    static double sum(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + "\\s+([0-9.eE+-]+)$").matcher(scrape);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    /**
     * Waits until every received payload is settled (order, rejection, duplicate, update, dead letter) and every
     * accepted one reached the stages it was routed to (or a stage's dead-letter queue); wall-clock millis. One
     * scrape every half second: a tighter loop made the scrapes themselves a tenth of the hub's CPU in a profile.
     */
    static long awaitDelivered(HttpClient http, HubProcess hub) {
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String s = scrape(http, hub);
            double accepted = sum(s, "orderhub_orders_accepted_total\\{[^}]*}");
            double intakeDeadLetters = sum(s, "orderhub_stage_dead_lettered_total\\{stage=\"intake\"[^}]*}");
            double settled = accepted + sum(s, "orderhub_orders_rejected_total\\{[^}]*}")
                    + sum(s, "orderhub_orders_duplicates_total\\{[^}]*}")
                    + sum(s, "orderhub_orders_processed_total\\{[^}]*}")
                    + intakeDeadLetters;
            // a stage's dead letter (the demo's order whose phone the POS refuses) is settled too
            double stageDeadLetters = sum(s, "orderhub_stage_dead_lettered_total\\{[^}]*}") - intakeDeadLetters;
            return settled >= sum(s, "orderhub_orders_received_total\\{[^}]*}")
                    // routed counts new orders' events only: status changes (the demo's, the POS's) are not awaited
                    && sum(s, "orderhub_stage_delivered_total\\{event=\"order.created\"[^}]*}") + stageDeadLetters
                    >= sum(s, "orderhub_orders_routed_total\\{[^}]*}");
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
