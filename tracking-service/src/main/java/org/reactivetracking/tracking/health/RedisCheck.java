package org.reactivetracking.tracking.health;

import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import reactor.core.publisher.Mono;

/** Redis answers a PING. */
final class RedisCheck implements Supplier<Mono<Health>> {

    private final ReactiveRedisConnectionFactory redis;

    RedisCheck(ReactiveRedisConnectionFactory redis) {
        this.redis = redis;
    }

    @Override
    public Mono<Health> get() {
        return Mono.usingWhen(Mono.fromSupplier(redis::getReactiveConnection), ReactiveRedisConnection::ping,
                        ReactiveRedisConnection::closeLater)
                .map(pong -> "PONG".equalsIgnoreCase(pong) ? Health.up().build()
                        : Health.down().withDetail("reply", pong).build());
    }
}
