package org.reactivetracking.tracking.publish;

import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;

/** A clock and a scheduler that move only when the test says so; tasks run on the test's thread. */
final class ManualTime implements LongSupplier, Scheduler {

    private record Entry(long at, long order, Runnable task) {
    }

    private final PriorityQueue<Entry> tasks = new PriorityQueue<>(
            Comparator.comparingLong(Entry::at).thenComparingLong(Entry::order));
    private long now = 1_000_000_000_000L;
    private long order;

    @Override
    public long getAsLong() {
        return now;
    }

    @Override
    public Task schedule(Runnable task, long delayNanos) {
        Entry entry = new Entry(now + delayNanos, order++, task);
        tasks.add(entry);
        return () -> tasks.remove(entry);
    }

    @Override
    public void shutdown() {
        tasks.clear();
    }

    /** Moves the clock by {@code duration}, running each task that falls due on the way at its time. */
    void advance(Duration duration) {
        long target = now + duration.toNanos();
        int run = 0;
        while (!tasks.isEmpty() && tasks.peek().at() <= target) {
            if (++run > 10_000) {
                throw new AssertionError("timers keep rescheduling themselves without time passing");
            }
            Entry next = tasks.poll();
            now = Math.max(now, next.at());
            next.task().run();
        }
        now = target;
    }

    /** Moves the clock without running anything: a timer thread that is stuck. */
    void advanceClockOnly(Duration duration) {
        now += duration.toNanos();
    }

    /** Tasks waiting. */
    int scheduled() {
        return tasks.size();
    }
}
