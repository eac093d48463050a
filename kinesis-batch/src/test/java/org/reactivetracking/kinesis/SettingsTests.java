package org.reactivetracking.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The settings checks name the setting and the value that broke them, and let every valid value through. */
class SettingsTests {

    @Test
    void textMustHoldMoreThanWhitespace() {
        assertThat(Settings.text("t", "a.b")).isEqualTo("t");
        for (String blank : new String[] { null, "", " \t" }) {
            assertThatIllegalArgumentException().isThrownBy(() -> Settings.text(blank, "a.table"))
                    .withMessage("a.table must not be blank, was '" + blank + "'");
        }
    }

    @Test
    void durationsMustBeLongerThanZero() {
        assertThat(Settings.positive(Duration.ofNanos(1), "a.b")).isEqualTo(Duration.ofNanos(1));
        for (Duration refused : new Duration[] { null, Duration.ZERO, Duration.ofMillis(-1) }) {
            assertThatIllegalArgumentException().isThrownBy(() -> Settings.positive(refused, "a.wait"))
                    .withMessage("a.wait must be a duration longer than zero, was " + refused);
        }
    }

    @Test
    void numbersMustBeWithinTheirBoundsBothIncluded() {
        assertThat(Settings.between(1, 1, 64, "a.b")).isEqualTo(1);
        assertThat(Settings.between(64, 1, 64, "a.b")).isEqualTo(64);
        assertThatIllegalArgumentException().isThrownBy(() -> Settings.between(0, 1, 64, "a.count"))
                .withMessage("a.count must be 1 to 64, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> Settings.between(65, 1, 64, "a.count"))
                .withMessage("a.count must be 1 to 64, was 65");
    }

    @Test
    void theConsumersLeaseSettingsAreChecked() {
        Duration second = Duration.ofSeconds(1);
        assertThat(new KinesisConsumerProperties(null, null, false, second, second, second, second, second, second)
                .failover()).isEqualTo(second);
        assertThatIllegalArgumentException().isThrownBy(() -> new KinesisConsumerProperties(null, null, false, second,
                second, second, Duration.ZERO, second, second)).withMessageStartingWith("kinesis.consumer.leader-lease");
    }
}
