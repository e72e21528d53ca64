package io.orderhub.support;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged hub (target/orderhub.jar) as a separate JVM on a free port, with the demo client, for drills and
 * benchmarks: start, kill -9, stop, restart on the same data directory. Started the production way: extracted, with a
 * class-data-sharing archive ({@link FastStart}).
 */
public final class HubProcess {

    public static final String DEMO_KEY = "ohk_demoweb_local-demo-key-not-a-secret-0001";

    private final Path dataDir;
    private final List<String> extraArgs;
    private final String heap;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int port;

    public HubProcess(Path dataDir, String heap, List<String> extraArgs) {
        this.dataDir = dataDir.toAbsolutePath();
        this.heap = heap;
        this.extraArgs = extraArgs;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Process process() {
        return process;
    }

    public int port() {
        return port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Starts the hub and waits until it is ready; returns the milliseconds that took. */
    public long start() throws IOException, InterruptedException {
        port = freePort();
        String jar = System.getProperty("orderhub.jar", "target/orderhub.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.createDirectories(dataDir);
        // as in production (docs/architecture.md "Starting fast"): the whole heap from the start (G1 growing it under
        // load collected 40 % more often meanwhile), and 4-MB regions (with 1-MB ones, H2's chunk buffers of 0.5-2 MB
        // are humongous and each started a concurrent cycle); docs/benchmarks.md "A fixed heap"
        List<String> command = new ArrayList<>(List.of(java, "-Xms" + heap, "-Xmx" + heap,
                "-XX:G1HeapRegionSize=4m"));
        // e.g. -Dorderhub.hub.jvm-args="-XX:StartFlightRecording=filename=target/hub.jfr" to profile the hub
        String jvmArgs = System.getProperty("orderhub.hub.jvm-args", "").trim();
        if (!jvmArgs.isEmpty()) {
            command.addAll(List.of(jvmArgs.split("\\s+")));
        }
        String profiles = System.getProperty("orderhub.hub.profiles", "demo");
        if (Boolean.parseBoolean(System.getProperty("orderhub.hub.fast-start", "true"))) {
            command.addAll(FastStart.launch(java, Path.of(jar)));
        } else {
            command.addAll(List.of("-jar", new File(jar).getAbsolutePath()));
        }
        command.addAll(List.of("--spring.profiles.active=" + profiles, "--server.port=" + port,
                "--orderhub.data-dir=" + dataDir));
        command.addAll(extraArgs);
        // e.g. -Dorderhub.hub.args="--spring.datasource.url=jdbc:postgresql://..." to run against PostgreSQL
        String args = System.getProperty("orderhub.hub.args", "").trim();
        if (!args.isEmpty()) {
            command.addAll(List.of(args.split("\\s+")));
        }
        long started = System.nanoTime();
        process = new ProcessBuilder(command)
                .directory(new File(".").getAbsoluteFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("hub.log").toFile()))
                .start();
        // a busy machine (the CI's 2 cores shared) can take well over a minute: -Dorderhub.hub.start-seconds
        int limit = Integer.getInteger("orderhub.hub.start-seconds", 180);
        try {
            await().atMost(Duration.ofSeconds(limit)).pollInterval(Duration.ofMillis(200)).until(this::ready);
        } catch (RuntimeException notReady) {
            // never leave a half-started hub behind: the caller does not know it runs
            kill();
            throw notReady;
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    private boolean ready() throws InterruptedException {
        if (!process.isAlive()) {
            throw new IllegalStateException("the hub exited with " + process.exitValue() + "; see "
                    + dataDir.resolve("hub.log"));
        }
        try {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> api = http.send(HttpRequest.newBuilder(uri("/api/v1/orders?size=1"))
                    .header("Authorization", "Bearer " + DEMO_KEY).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200 && api.statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL: no shutdown hooks, no flushing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** Graceful stop (SIGTERM). */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
    }

    public long pid() {
        return process.pid();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
