package org.reactivetracking.tracking.program;

import java.time.Duration;
import org.reactivetracking.tracking.TrackingApplication;
import org.reactivetracking.tracking.TrackingProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Listens on the change channel, where the redis-updater (and this service's admin API) announce changed program
 * ids, and drops those programs from the in-process cache so the next lookup reads Redis. Keeps trying to subscribe
 * while Redis is down; the cache expiry bounds what a missed announcement can cost.
 */
@Component
class ProgramChangeListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProgramChangeListener.class);

    private final ReactiveRedisConnectionFactory connections;
    private final ProgramCatalog catalog;
    private final String channel;
    private Disposable subscription;
    private volatile String lastAnnounced;

    ProgramChangeListener(ReactiveRedisConnectionFactory connections, ProgramCatalog catalog,
            TrackingProperties properties) {
        this.connections = connections;
        this.catalog = catalog;
        this.channel = properties.programs().channel();
    }

    @Override
    public void start() {
        subscription = Flux.usingWhen(
                        // the container connects as it is built: off the starting thread, so the start does not
                        // wait for Redis
                        Mono.fromCallable(() -> new ReactiveRedisMessageListenerContainer(connections))
                                .subscribeOn(Schedulers.boundedElastic()),
                        container -> container.receiveLater(ChannelTopic.of(channel)).flatMapMany(messages -> {
                            // subscribed: announcements missed while we were not are covered by dropping everything
                            catalog.evict(ProgramRepository.ALL_PROGRAMS);
                            return messages;
                        }),
                        ReactiveRedisMessageListenerContainer::destroyLater)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5))
                        .doBeforeRetry(signal -> log.warn("Change channel {} unavailable, resubscribing: {}", channel,
                                signal.failure().getMessage())))
                .subscribe(message -> {
                    catalog.evict(message.getMessage());
                    lastAnnounced = message.getMessage();
                });
    }

    /**
     * The last id heard on the channel, once its program was dropped from the cache. Announcements arrive in order:
     * when an id announced now is seen here, the listener is subscribed and has handled every earlier one.
     */
    String lastAnnounced() {
        return lastAnnounced;
    }

    @Override
    public void stop() {
        if (subscription != null) {
            subscription.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return subscription != null && !subscription.isDisposed();
    }

    /** Subscribes while the web server starts, after the Redis connection factory has. */
    @Override
    public int getPhase() {
        return TrackingApplication.BEFORE_WEB_SERVER_PHASE;
    }
}
