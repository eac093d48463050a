package org.reactivetracking.tracking.publish;

import java.time.Duration;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * Part of readiness: DOWN while the event stream cannot be described (unreachable, missing) or while the publisher's
 * buffer is nearly full, so the load balancer sends traffic elsewhere before requests are refused.
 */
public class EventStreamHealthIndicator extends AbstractReactiveHealthIndicator {

    private final KinesisAsyncClient kinesis;
    private final KinesisBatchPublisher publisher;

    EventStreamHealthIndicator(KinesisAsyncClient kinesis, KinesisBatchPublisher publisher) {
        super("event stream health check failed");
        this.kinesis = kinesis;
        this.publisher = publisher;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        builder.withDetail("stream", publisher.stream()).withDetail("bufferedRecords", publisher.buffered());
        if (publisher.saturated()) {
            return Mono.just(builder.down().withDetail("reason", "publisher saturated").build());
        }
        return Mono.fromFuture(() -> kinesis.describeStreamSummary(request -> request.streamName(publisher.stream())))
                .timeout(Duration.ofSeconds(2))
                .map(response -> builder.up()
                        .withDetail("status", response.streamDescriptionSummary().streamStatusAsString()).build());
    }
}
