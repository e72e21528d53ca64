package io.orderhub.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a running hub process holds, by kind, for the soak: its threads grouped by pool (the name with numbers taken
 * out, from {@code jcmd Thread.print}) and its open file descriptors split into sockets and the rest (from
 * {@code /proc/<pid>/fd}, Linux). A total that grows says something leaks; the split says what: a pool that grows
 * with the offered concurrency (the HTTP workers) is bounded by its configuration, a file count that grows is not.
 */
record ProcessCensus(Map<String, Integer> threadsByPool, int sockets, int otherFiles) {

    /** Tomcat's request workers: their number follows the concurrent requests, up to server.tomcat.threads.max. */
    static final String HTTP_WORKERS = "http-nio-#-exec-#";

    private static final Pattern THREAD = Pattern.compile("(?m)^\"([^\"]*)\" ");

    static ProcessCensus of(long pid) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
        String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(30, TimeUnit.SECONDS);
        Map<String, Integer> pools = new TreeMap<>();
        Matcher m = THREAD.matcher(dump);
        while (m.find()) {
            pools.merge(m.group(1).replaceAll("[0-9]+", "#"), 1, Integer::sum);
        }
        int sockets = 0;
        int other = 0;
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        sockets++;
                    } else {
                        other++;
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor was closed between the listing and the read
                }
            }
        }
        return new ProcessCensus(pools, sockets, other);
    }

    int threads() {
        return threadsByPool.values().stream().mapToInt(Integer::intValue).sum();
    }

    int httpWorkers() {
        return threadsByPool.getOrDefault(HTTP_WORKERS, 0);
    }

    /** Every thread but the HTTP workers: these must not grow with time. */
    int otherThreads() {
        return threads() - httpWorkers();
    }
}
