package org.reactivetracking.tracking.web;

import java.time.Duration;
import org.reactivetracking.tracking.publish.EventStreamHealthIndicator;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.contributor.Status;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /health/check}, the load balancer's health check of the reference architecture, kept on the main port:
 * 200 while the instance can take traffic (ready, Redis answers, the event stream is reachable and the publisher
 * not saturated), else 503. The same conditions make up actuator's readiness group.
 */
@RestController
class HealthCheckController {

    private final ApplicationAvailability availability;
    private final ReactiveRedisConnectionFactory redis;
    private final EventStreamHealthIndicator eventStream;

    HealthCheckController(ApplicationAvailability availability, ReactiveRedisConnectionFactory redis,
            EventStreamHealthIndicator eventStream) {
        this.availability = availability;
        this.redis = redis;
        this.eventStream = eventStream;
    }

    @GetMapping("/health/check")
    Mono<ResponseEntity<String>> check() {
        if (availability.getReadinessState() != ReadinessState.ACCEPTING_TRAFFIC) {
            return Mono.just(down("not accepting traffic"));
        }
        Mono<Boolean> redisUp = Mono.usingWhen(Mono.fromSupplier(redis::getReactiveConnection),
                connection -> connection.ping().map("PONG"::equalsIgnoreCase),
                connection -> connection.closeLater()).timeout(Duration.ofSeconds(1)).onErrorReturn(false);
        Mono<Boolean> streamUp = eventStream.health(false).map(health -> Status.UP.equals(health.getStatus()));
        return Mono.zip(redisUp, streamUp).map(up -> !up.getT1() ? down("redis unreachable")
                : !up.getT2() ? down("event stream unreachable or publisher saturated")
                : ResponseEntity.ok("OK"));
    }

    private static ResponseEntity<String> down(String reason) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(reason);
    }
}
