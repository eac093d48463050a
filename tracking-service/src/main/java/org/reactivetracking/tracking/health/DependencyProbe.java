package org.reactivetracking.tracking.health;

import java.time.Duration;
import java.util.function.Supplier;
import org.reactivetracking.tracking.TrackingApplication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One dependency's health, probed in the background every {@code interval} and answered from the last result: a
 * health request never reaches the dependency, however often it comes, and a slow dependency never makes a health
 * request slow. Until the first probe has answered, the dependency is OUT_OF_SERVICE (not known to be reachable).
 * Probes never overlap: a probe that outlasts the interval makes the next one wait.
 */
final class DependencyProbe implements HealthIndicator, SmartLifecycle, InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DependencyProbe.class);

    private final String name;
    private final Supplier<Mono<Health>> check;
    private final Duration interval;
    private final Duration timeout;
    private volatile Health last = Health.outOfService().withDetail("reason", "not probed yet").build();
    private Disposable schedule;

    /**
     * @param check   asks the dependency; completes with its health, or fails when it is unreachable
     * @param timeout how long {@code check} may take before the dependency counts as down
     */
    DependencyProbe(String name, Supplier<Mono<Health>> check, Duration interval, Duration timeout) {
        this.name = name;
        this.check = check;
        this.interval = interval;
        this.timeout = timeout;
    }

    /** The last probe's result: never calls the dependency. */
    @Override
    public Health health() {
        return last;
    }

    /** Probes once and keeps the result. */
    Mono<Health> probe() {
        return Mono.defer(check).timeout(timeout)
                .defaultIfEmpty(Health.down().withDetail("error", "no answer").build())
                // the root cause names what failed (connection refused, unknown stream); wrappers do not
                .onErrorResume(error -> Mono.just(
                        Health.down(NestedExceptionUtils.getMostSpecificCause(error)).build()))
                .doOnNext(this::keep);
    }

    private void keep(Health health) {
        Health before = last;
        last = health;
        if (!before.getStatus().equals(health.getStatus())) {
            log.atLevel(Status.UP.equals(health.getStatus()) ? Level.INFO : Level.WARN)
                    .log("{} is {}: {}", name, health.getStatus(), health.getDetails());
        }
    }

    /**
     * The first probe starts as soon as the bean exists and runs while the rest of the context is built, so readiness
     * can answer UP as soon as the web server does (0.1 s sooner than a probe started with the context's lifecycle,
     * BENCHMARKS.md). A context that fails to start destroys the bean, which stops it.
     */
    @Override
    public void afterPropertiesSet() {
        start();
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        schedule = Flux.interval(Duration.ZERO, interval).onBackpressureDrop()
                .concatMap(tick -> probe(), 1).subscribe();
    }

    @Override
    public void destroy() {
        stop();
    }

    @Override
    public synchronized void stop() {
        if (schedule != null) {
            schedule.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return schedule != null && !schedule.isDisposed();
    }

    /**
     * Before the web server's phase: a probe stopped by the context (and restarted) runs whenever the server does.
     */
    @Override
    public int getPhase() {
        return TrackingApplication.BEFORE_WEB_SERVER_PHASE;
    }
}
