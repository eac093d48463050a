package org.reactivetracking.tracking.program;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import org.reactivetracking.tracking.TrackingProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** For tests: the running service's change listener, observed through what it has received. */
public final class ChangeChannel {

    private ChangeChannel() {
    }

    /**
     * Announces a marker id on the change channel, again until the listener has received it. From then on the
     * listener is subscribed (a resubscription, which drops the whole cache, is behind it) and has handled every
     * announcement made before.
     */
    public static void awaitListening(ApplicationContext context) {
        ProgramChangeListener listener = context.getBean(ProgramChangeListener.class);
        ReactiveStringRedisTemplate redis = context.getBean(ReactiveStringRedisTemplate.class);
        String channel = context.getBean(TrackingProperties.class).programs().channel();
        String marker = "listener-marker-" + UUID.randomUUID();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            redis.convertAndSend(channel, marker).onErrorComplete().block(Duration.ofSeconds(5));
            return marker.equals(listener.lastAnnounced());
        });
    }
}
