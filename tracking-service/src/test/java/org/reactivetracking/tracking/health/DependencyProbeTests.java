package org.reactivetracking.tracking.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import reactor.core.publisher.Mono;

/** The probe alone, driven by hand (its schedule started only where a test says so): what it answers and when it asks. */
class DependencyProbeTests {

    private final AtomicInteger checks = new AtomicInteger();
    private final AtomicReference<Mono<Health>> answer = new AtomicReference<>(Mono.just(Health.up().build()));
    private final DependencyProbe probe = new DependencyProbe("test dependency", () -> {
        checks.incrementAndGet();
        return answer.get();
    }, Duration.ofHours(1), Duration.ofMillis(200));

    @Test
    void isOutOfServiceUntilFirstProbed() {
        assertThat(probe.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(checks).hasValue(0);
    }

    @Test
    void answersFromTheLastProbeWithoutAskingTheDependency() {
        probe.probe().block(Duration.ofSeconds(5));

        for (int i = 0; i < 1_000; i++) {
            assertThat(probe.health().getStatus()).isEqualTo(Status.UP);
        }
        assertThat(checks).hasValue(1);
    }

    @Test
    void reportsAFailedOrSilentDependencyDownAndItsRecovery() {
        answer.set(Mono.error(new IllegalStateException("connection refused")));
        probe.probe().block(Duration.ofSeconds(5));
        assertThat(probe.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(probe.health().getDetails()).containsKey("error");

        answer.set(Mono.just(Health.up().build()));
        probe.probe().block(Duration.ofSeconds(5));
        assertThat(probe.health().getStatus()).isEqualTo(Status.UP);

        // never answers: down once the probe's timeout has passed
        answer.set(Mono.never());
        probe.probe().block(Duration.ofSeconds(5));
        assertThat(probe.health().getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void probesOnceCreatedUntilDestroyed() {
        probe.afterPropertiesSet();
        assertThat(probe.isRunning()).isTrue();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(probe.health().getStatus()).isEqualTo(Status.UP));

        probe.start(); // the context's start once refreshed: already running, no second schedule
        probe.destroy();

        assertThat(probe.isRunning()).isFalse();
        assertThat(checks).hasValue(1);
    }

    @Test
    void reportsACheckThatThrowsDown() {
        DependencyProbe throwing = new DependencyProbe("throwing", () -> {
            throw new IllegalStateException("no client");
        }, Duration.ofHours(1), Duration.ofSeconds(1));

        throwing.probe().block(Duration.ofSeconds(5));

        assertThat(throwing.health().getStatus()).isEqualTo(Status.DOWN);
    }
}
