package io.orderhub.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the hub is meant to start in production (docs/architecture.md, "Starting fast"): the jar extracted with Spring
 * Boot's {@code -Djarmode=tools extract} (classes load from plain jars, not nested ones) and a class-data-sharing
 * archive made by one training start ({@code -XX:ArchiveClassesAtExit} with {@code -Dspring.context.exit=onRefresh}).
 * Prepared once per packaged jar under target/fast-start; the drills and benchmarks start the hub this way (set
 * {@code -Dorderhub.hub.fast-start=false} for the plain {@code java -jar}).
 */
final class FastStart {

    private static final Path DIR = Path.of("target", "fast-start").toAbsolutePath();

    private FastStart() {
    }

    /** The JVM arguments that launch the hub ({@code -XX:SharedArchiveFile=... -jar <extracted jar>}). */
    static synchronized List<String> launch(String java, Path jar) throws IOException, InterruptedException {
        Path marker = DIR.resolve("source");
        String source = jar.toAbsolutePath() + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
        Path app = DIR.resolve(jar.getFileName());
        Path archive = DIR.resolve("orderhub.jsa");
        if (!Files.exists(marker) || !Files.readString(marker).equals(source) || !Files.exists(archive)) {
            deleteTree(DIR);
            run(List.of(java, "-Djarmode=tools", "-jar", jar.toAbsolutePath().toString(), "extract",
                    "--destination", DIR.toString()), DIR.resolveSibling("fast-start-extract.log"));
            Path training = Files.createTempDirectory("orderhub-cds-training");
            try {
                run(List.of(java, "-Xmx512m", "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off",
                        "-Xlog:cds+dynamic=off", "-Dspring.context.exit=onRefresh", "-jar", app.toString(),
                        "--spring.profiles.active=demo", "--server.port=0", "--orderhub.data-dir=" + training),
                        DIR.resolveSibling("fast-start-training.log"));
            } finally {
                deleteTree(training);
            }
            Files.writeString(marker, source);
        }
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-jar", app.toString());
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(command).directory(new File(".").getAbsoluteFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in 180 s; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + "; see " + log);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
