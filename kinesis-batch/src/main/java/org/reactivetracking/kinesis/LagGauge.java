package org.reactivetracking.kinesis;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A consumer's lag: how old the newest record it handled was when it handled it, in milliseconds. Lag only exists
 * while there is something to handle: once nothing was handled for {@code idleAfter}, the gauge reads 0, so an alarm
 * raised in a spike clears when the stream goes quiet. A consumer that is stuck rather than idle shows in its
 * {@code batch.in.progress.seconds} gauge and in the stream's iterator age instead.
 */
public final class LagGauge {

    private final Duration idleAfter;
    private final LongSupplier clock;
    private volatile long lagMillis;
    private volatile long measuredAt = Long.MIN_VALUE;

    public LagGauge(MeterRegistry meters, String name, Duration idleAfter) {
        this(meters, name, idleAfter, System::currentTimeMillis);
    }

    LagGauge(MeterRegistry meters, String name, Duration idleAfter, LongSupplier clock) {
        this.idleAfter = idleAfter;
        this.clock = clock;
        Gauge.builder(name, this, LagGauge::value)
                .description("age of the newest record handled; 0 once nothing was handled for " + idleAfter)
                .register(meters);
    }

    /** The newest record just handled was produced at {@code producedAt} (epoch milliseconds). */
    public void handled(long producedAt) {
        long now = clock.getAsLong();
        lagMillis = Math.max(0, now - producedAt);
        measuredAt = now;
    }

    double value() {
        return measuredAt == Long.MIN_VALUE || clock.getAsLong() - measuredAt > idleAfter.toMillis() ? 0 : lagMillis;
    }
}
