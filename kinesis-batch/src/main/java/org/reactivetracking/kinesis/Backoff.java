package org.reactivetracking.kinesis;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Exponential back-off with jitter between attempts that hold a shard: {@code initial} after the first failure,
 * doubling up to {@code max}, each wait drawn between half and all of its cap.
 *
 * @param initial first wait
 * @param max     longest wait
 */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
    }

    /** The cap of the wait after {@code attempt} failed attempts (1 for the first). */
    public Duration cap(int attempt) {
        long millis = Math.min(max.toMillis(), initial.toMillis() << Math.min(Math.max(attempt, 1) - 1, 20));
        return Duration.ofMillis(millis);
    }

    /**
     * Waits before the next attempt.
     *
     * @throws IllegalStateException when interrupted (the service is stopping): the work is not done and must not be
     *                               checkpointed; the stream delivers it again
     */
    public void pause(int attempt) {
        try {
            Thread.sleep(wait(attempt));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while holding the shard; the batch is not checkpointed and"
                    + " will be delivered again", ex);
        }
    }

    /**
     * Waits before the next attempt, the whole wait whatever interrupts it.
     *
     * @return whether the thread was interrupted meanwhile (its flag is cleared: the caller decides)
     */
    public boolean pauseUninterruptibly(int attempt) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + wait(attempt) * 1_000_000;
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
            interrupted |= Thread.interrupted();
        }
        return interrupted;
    }

    /** Milliseconds to wait after {@code attempt} failed attempts: between half and all of the cap. */
    private long wait(int attempt) {
        long cap = cap(attempt).toMillis();
        return cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
    }
}
