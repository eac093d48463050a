package org.reactivetracking.tracking.publish;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs a task later. The publisher's only source of timers, so that tests fire them by hand. */
interface Scheduler {

    /** Runs {@code task} once, {@code delayNanos} from now; the returned handle cancels it. */
    Task schedule(Runnable task, long delayNanos);

    /** Stops running tasks; those not yet run are dropped. */
    void shutdown();

    /** A scheduled task. */
    interface Task {

        void cancel();
    }

    /** One daemon thread, named after the stream it serves. */
    static Scheduler singleThread(String name) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        return new Scheduler() {
            @Override
            public Task schedule(Runnable task, long delayNanos) {
                try {
                    var future = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
                    return () -> future.cancel(false);
                }
                catch (RejectedExecutionException stopped) {
                    // a call completing after the publisher stopped must not fail for want of a timer
                    return () -> { };
                }
            }

            @Override
            public void shutdown() {
                executor.shutdownNow();
            }
        };
    }
}
