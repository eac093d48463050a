package org.reactivetracking.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LagGaugeTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LagGauge lag = new LagGauge(meters, "test.lag.ms", Duration.ofSeconds(60), now::get);

    @Test
    void readsTheAgeOfTheNewestRecordHandledUntilTheStreamGoesQuiet() {
        assertThat(value()).as("nothing handled yet").isZero();

        lag.handled(now.get() - 2_500);
        assertThat(value()).isEqualTo(2_500);

        now.addAndGet(60_000);
        assertThat(value()).as("still within the idle bound").isEqualTo(2_500);
        now.addAndGet(1);
        assertThat(value()).as("quiet for longer than the idle bound").isZero();

        lag.handled(now.get() + 5);
        assertThat(value()).as("a clock ahead of ours is no lag").isZero();
    }

    private double value() {
        return meters.get("test.lag.ms").gauge().value();
    }
}
