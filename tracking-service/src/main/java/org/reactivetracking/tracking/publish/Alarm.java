package org.reactivetracking.tracking.publish;

/**
 * The publisher's one timer: set to the next moment something is due, moved only when that moment comes sooner. A
 * wake-up that finds nothing due is harmless, so a later moment never needs a new timer. Not thread-safe: the
 * publisher sets it and marks it rung under its lock.
 */
final class Alarm {

    private final Scheduler scheduler;
    private final Runnable wake;
    private Scheduler.Task task;
    private long at = Long.MAX_VALUE;

    Alarm(Scheduler scheduler, Runnable wake) {
        this.scheduler = scheduler;
        this.wake = wake;
    }

    /** Wakes the publisher at {@code when} (or earlier); {@code Long.MAX_VALUE} for never. */
    void set(long when, long now) {
        if (when < at) {
            cancel();
            at = when;
            task = scheduler.schedule(wake, Math.max(0, when - now));
        }
    }

    /** Called as the wake-up runs: the next one must be set anew. */
    void rung() {
        task = null;
        at = Long.MAX_VALUE;
    }

    void cancel() {
        if (task != null) {
            task.cancel();
            rung();
        }
    }
}
