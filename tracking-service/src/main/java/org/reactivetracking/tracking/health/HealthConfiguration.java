package org.reactivetracking.tracking.health;

import org.reactivetracking.tracking.TrackingProperties;
import org.reactivetracking.tracking.publish.KinesisBatchPublisher;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * The health contributors. Liveness ({@code /health/check}, {@code /actuator/health/liveness}): the process runs and
 * the event publisher is not wedged; nothing outside the process is asked, so an outage of Redis or Kinesis never
 * makes the orchestrator replace healthy instances (and lose their program caches). Readiness: the dependencies,
 * from background probes ({@link DependencyProbe}); operators see an outage there.
 */
@Configuration(proxyBeanMethods = false)
class HealthConfiguration {

    /** Replaces Spring Boot's Redis contributor, which would ping Redis on every health request. */
    @Bean
    DependencyProbe redisHealthIndicator(ReactiveRedisConnectionFactory redis, TrackingProperties properties) {
        return new DependencyProbe("redis", new RedisCheck(redis), properties.health().probeInterval(),
                properties.health().probeTimeout());
    }

    @Bean
    DependencyProbe eventStreamHealthIndicator(KinesisAsyncClient kinesis,
            @Qualifier("events") KinesisBatchPublisher events, TrackingProperties properties) {
        return new DependencyProbe("event stream", new EventStreamCheck(kinesis, events),
                properties.health().probeInterval(), properties.health().probeTimeout());
    }

    /** Part of liveness: in-process state only. */
    @Bean
    HealthIndicator publisherHealthIndicator(@Qualifier("events") KinesisBatchPublisher events) {
        return () -> events.wedged()
                ? Health.down().withDetail("reason", "records wait and no PutRecords call has completed for long")
                        .withDetail("bufferedRecords", events.buffered()).build()
                : Health.up().build();
    }
}
