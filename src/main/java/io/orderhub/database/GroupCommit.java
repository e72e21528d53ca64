package io.orderhub.database;

import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.mvstore.MVStore;

/**
 * One write of the database file for many commits: a commit returns once a write that started after it has finished.
 * <p>
 * Why our own: the embedded H2 offers either a write per commit ({@code WRITE_DELAY=0}, each write a new chunk of the
 * file plus a rewrite of its chunk list: the largest cost in the hub's profile, and the cause of the file's growth)
 * or a write every {@code WRITE_DELAY} ms with nothing to wait for (a killed process loses what it acknowledged).
 * This gives the first one's guarantee at close to the second one's cost: with H2 writing only in the background,
 * every committing thread asks here for a write; one of them (the leader) writes everything committed so far, the
 * others wait for that write when it covers them, or for the next one. Under light load each commit is its own
 * write, under heavy load the commits that arrive during one write share the next.
 * <p>
 * {@code spacing} (0: none) lets a write wait for commits about to come: while other transactions have written and
 * not yet committed ({@code othersWriting}), a write does not start sooner than {@code spacing} after the start of the
 * previous one, and the commits arriving meanwhile join it; it starts at once when none is left writing. Every write
 * puts out again the pages that every commit touches (the roots and inner pages of each table and index, the
 * right-hand leaves of the ones keyed by time), so fewer writes for the same commits cost less serialisation and leave
 * fewer partly-used chunks in the file. A lone commit, or a sequence of commits from one thread, never waits (like
 * PostgreSQL's {@code commit_delay}, which applies only with {@code commit_siblings} other transactions open; a
 * fixed 2-ms wait for every write, tried earlier, raised the commits per write from 1.4 to 1.6 at full load and the
 * throughput not at all).
 */
public final class GroupCommit {

    private final Runnable write;
    private final long spacingNanos;
    private final java.util.function.IntSupplier othersWriting;
    private final LongAdder spaced = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    /** Signalled when a commit takes its ticket: a write waiting for the spacing looks again whether to start. */
    private final Condition asked = lock.newCondition();
    /** When the last write started (System.nanoTime). */
    private long lastWriteStart;
    private boolean wrote;
    /** Commits that asked to be written, in the order they asked. */
    private long requested;
    /** Every commit up to this number is in the file. */
    private long durable;
    private boolean writing;

    /** @param write puts everything committed before it starts into the file, and returns when it is there */
    public GroupCommit(Runnable write) {
        this(write, java.time.Duration.ZERO, () -> 0);
    }

    /**
     * @param write         puts everything committed before it starts into the file, and returns when it is there
     * @param spacing       how long after the start of a write the next one may wait for commits still to come (0: a
     *                      write starts as soon as one is needed)
     * @param othersWriting transactions that have written and not yet committed or rolled back
     */
    public GroupCommit(Runnable write, java.time.Duration spacing, java.util.function.IntSupplier othersWriting) {
        this.write = write;
        this.spacingNanos = spacing.toNanos();
        this.othersWriting = othersWriting;
    }

    /** For an H2 store: store what is committed (H2's own commit), then wait for any write H2 started in background. */
    public static GroupCommit of(MVStore store, java.time.Duration spacing,
                                 java.util.function.IntSupplier othersWriting) {
        return new GroupCommit(() -> {
            store.commit();
            // a background store H2 started before may have taken this commit's changes and still be writing them
            store.getFileStore().executeFileStoreOperation(() -> { });
        }, spacing, othersWriting);
    }

    /** Commits written so far. */
    public long commits() {
        return commits.sum();
    }

    /** Writes of the file so far (each one covers one or more commits). */
    public long writes() {
        return writes.sum();
    }

    /** Writes that waited for commits still to come (the spacing). */
    public long spacedWrites() {
        return spaced.sum();
    }

    /** Commits that have asked so far (for tests). */
    long requested() {
        lock.lock();
        try {
            return requested;
        } finally {
            lock.unlock();
        }
    }

    /** Called after a database commit returned: returns once that commit is in the file. */
    public void awaitWritten() {
        boolean interrupted = false;
        lock.lock();
        try {
            long ticket = ++requested;
            asked.signalAll();
            while (durable < ticket) {
                if (writing) {
                    written.awaitUninterruptibly();
                    continue;
                }
                writing = true;
                if (wrote && spacingNanos > 0 && othersWriting.getAsInt() > 0) {
                    // the lock is released while waiting: commits arriving now take tickets this write will cover
                    spaced.increment();
                    long due = lastWriteStart + spacingNanos;
                    try {
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0 && othersWriting.getAsInt() > 0) {
                            asked.awaitNanos(wait);
                        }
                    } catch (InterruptedException e) {
                        // write now; the flag is set again once the write is done (an interrupted thread's file
                        // I/O would close H2's file channel)
                        interrupted = true;
                    }
                }
                // every commit with a ticket up to here returned before this write starts: the write includes it
                long upTo = requested;
                lastWriteStart = System.nanoTime();
                wrote = true;
                boolean done = false;
                lock.unlock();
                try {
                    write.run();
                    done = true;
                } finally {
                    lock.lock();
                    writing = false;
                    if (done) {
                        commits.add(upTo - durable);
                        writes.increment();
                        durable = Math.max(durable, upTo);
                    }
                    written.signalAll();
                }
            }
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
