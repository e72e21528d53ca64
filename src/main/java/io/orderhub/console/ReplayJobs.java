package io.orderhub.console;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Bulk replays (after a vendor outage): the open dead letters matching a filter, replayed one by one in the
 * background (a few at a time, orderhub.console.bulk-replay-parallelism) with progress the console polls. Each replay is the single replay (closed first, deduplicated
 * downstream), so a job that overlaps another, or an operator's single replay, never doubles anything. Jobs are
 * kept in memory for the console's progress bar; what each did is in the audit log.
 */
@Service
public class ReplayJobs implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplayJobs.class);

    private final DeadLetterStore store;
    private final DeadLetterReplay replay;
    private final AuditLog audit;
    private final ConsoleProperties properties;
    private final Clock clock;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "replay-job");
        t.setDaemon(true);
        return t;
    });
    private final Map<UUID, Job> jobs = new ConcurrentHashMap<>();

    public ReplayJobs(DeadLetterStore store, DeadLetterReplay replay, AuditLog audit, ConsoleProperties properties,
                      Clock clock) {
        this.store = store;
        this.replay = replay;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    public static final class Job {
        private final UUID id;
        private final String actor;
        private final int total;
        private final Instant startedAt;
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private volatile String state = "RUNNING";
        private volatile Instant finishedAt;
        private volatile String lastError;

        Job(UUID id, String actor, int total, Instant startedAt) {
            this.id = id;
            this.actor = actor;
            this.total = total;
            this.startedAt = startedAt;
        }

        public UUID getId() {
            return id;
        }

        public String getActor() {
            return actor;
        }

        public int getTotal() {
            return total;
        }

        public int getDone() {
            return done.get();
        }

        public int getFailed() {
            return failed.get();
        }

        public String getState() {
            return state;
        }

        public Instant getStartedAt() {
            return startedAt;
        }

        public Instant getFinishedAt() {
            return finishedAt;
        }

        public String getLastError() {
            return lastError;
        }
    }

    public Job start(DeadLetterStore.Filter filter, String actor) {
        List<UUID> ids = store.openIds(filter, properties.bulkLimit());
        Job job = new Job(UUID.randomUUID(), actor, ids.size(), Instant.now(clock));
        jobs.put(job.id, job);
        audit.record(actor, "dead-letter.bulk-replay", "replay-job:" + job.id, "filter " + filter + "; "
                + ids.size() + " dead letter(s)", null, null);
        java.util.Queue<UUID> todo = new java.util.concurrent.ConcurrentLinkedQueue<>(ids);
        int runners = Math.max(1, Math.min(properties.bulkParallelism(), ids.size()));
        AtomicInteger running = new AtomicInteger(runners);
        for (int i = 0; i < runners; i++) {
            workers.submit(() -> run(job, todo, running));
        }
        return job;
    }

    /** One of the job's runners: replays until the job's list is empty; the last one to finish closes the job. */
    private void run(Job job, java.util.Queue<UUID> todo, AtomicInteger running) {
        try {
            for (UUID id = todo.poll(); id != null; id = todo.poll()) {
                try {
                    replay.replay(id, job.actor, null, "bulk job " + job.id);
                    job.done.incrementAndGet();
                } catch (RuntimeException e) {
                    job.failed.incrementAndGet();
                    job.lastError = id + ": " + e.getMessage();
                    log.warn("Bulk replay {}: {} not replayed: {}", job.id, id, e.getMessage());
                }
            }
        } finally {
            if (running.decrementAndGet() == 0) {
                job.finishedAt = Instant.now(clock);
                job.state = "DONE";
                log.info("Bulk replay {} by {}: {} replayed, {} not", job.id, job.actor, job.done.get(),
                        job.failed.get());
            }
        }
    }

    public java.util.Optional<Job> find(UUID id) {
        return java.util.Optional.ofNullable(jobs.get(id));
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
