package io.orderhub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * The broker's own limit on this machine: Artemis' {@code artemis perf client} against a standalone Artemis broker
 * (the distribution the bench profile unpacks into target/artemis), persistent messages of the hub's payload size,
 * on loopback. The figure the hub's end-to-end orders/s is compared with.
 */
final class BrokerLimit {

    record Result(double messagesPerSecond, long sent, long received, String command) {
    }

    /** Seconds of load before the measured ones ({@code -Dbench.broker.warmup-seconds}). */
    static final int WARMUP_SECONDS = Integer.getInteger("bench.broker.warmup-seconds", 20);

    private BrokerLimit() {
    }

    static Result measure(int messageSize, int seconds) throws IOException, InterruptedException {
        Path home;
        try (Stream<Path> found = Files.list(Path.of("target", "artemis"))) {
            home = found.filter(p -> p.getFileName().toString().startsWith("apache-artemis-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no Artemis distribution under target/artemis: run "
                            + "with -Pbench (maven-dependency-plugin unpacks it)"));
        }
        String artemis = home.resolve("bin/artemis").toAbsolutePath().toString();
        Path instance = Path.of("target", "bench", "broker-" + System.nanoTime()).toAbsolutePath();
        int port = freePort();
        // loopback only, CORE protocol only (this machine runs RabbitMQ and Mosquitto on the AMQP and MQTT ports)
        run(List.of("bash", artemis, "create", instance.toString(), "--user", "bench", "--password", "bench",
                "--require-login", "--silent", "--no-web", "--nio", "--host", "127.0.0.1", "--default-port",
                String.valueOf(port), "--no-amqp-acceptor", "--no-mqtt-acceptor", "--no-stomp-acceptor",
                "--no-hornetq-acceptor", "--java-memory", "512M", "--queues", "BENCH"), instance.resolveSibling(
                instance.getFileName() + "-create.log"), 120);
        Process broker = new ProcessBuilder("bash", instance.resolve("bin/artemis").toString(), "run")
                .redirectErrorStream(true).redirectOutput(instance.resolveSibling(instance.getFileName() + ".log")
                        .toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> listening(port));
            Path json = instance.resolveSibling(instance.getFileName() + "-perf.json");
            // the warm-up is not counted: a cold broker and client start at a fifth of their steady rate and climb
            // for 15-20 s (measured 2026-12-06: 2,800-7,000 msg/s in the first seconds, 20,000-28,000 after), so a
            // short run without it measured the start-up, not the limit (docs/benchmarks.md)
            List<String> perf = List.of("bash", artemis, "perf", "client", "--url", "tcp://127.0.0.1:" + port,
                    "--user", "bench", "--password", "bench", "--persistent", "--message-size",
                    String.valueOf(messageSize), "--producers", "4", "--consumers", "4", "--max-pending", "100",
                    "--warmup", String.valueOf(WARMUP_SECONDS), "--duration", String.valueOf(WARMUP_SECONDS + seconds),
                    "--json", json.toString(), "queue://BENCH");
            run(perf, instance.resolveSibling(instance.getFileName() + "-perf.log"), WARMUP_SECONDS + seconds + 120);
            long sent = 0;
            long received = 0;
            int intervals = 0;
            for (JsonNode sample : new ObjectMapper().readTree(json.toFile())) {
                if ("interval".equals(sample.path("sampleType").asText()) && !sample.path("warmup").asBoolean()) {
                    sent += sample.path("sent").asLong();
                    received += sample.path("received").asLong();
                    intervals++;
                }
            }
            if (intervals == 0) {
                throw new IllegalStateException("artemis perf client reported no measured interval; see " + json);
            }
            // each interval is one second of the run: the rate is what was consumed per second on average
            return new Result((double) received / intervals, sent, received, String.join(" ", perf.subList(1,
                    perf.size())).replace(artemis, "artemis").replace(json.toString(), "<report.json>"));
        } finally {
            broker.destroy();
            if (!broker.waitFor(30, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    private static void run(List<String> command, Path log, int timeoutSeconds)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(new ArrayList<>(command)).directory(new File(".").getAbsoluteFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds
                    + " s; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + "; see "
                    + log);
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
