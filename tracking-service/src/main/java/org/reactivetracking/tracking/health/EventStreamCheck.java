package org.reactivetracking.tracking.health;

import java.util.function.Supplier;
import org.reactivetracking.tracking.publish.KinesisBatchPublisher;
import org.springframework.boot.health.contributor.Health;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * The event stream takes records: the publisher's buffer is not nearly full, and the stream can be described and
 * is ACTIVE or UPDATING (resharding streams take writes). One DescribeStreamSummary call per probe; Kinesis allows
 * 20 a second per account, which is why it is never called per request.
 */
final class EventStreamCheck implements Supplier<Mono<Health>> {

    private final KinesisAsyncClient kinesis;
    private final KinesisBatchPublisher publisher;

    EventStreamCheck(KinesisAsyncClient kinesis, KinesisBatchPublisher publisher) {
        this.kinesis = kinesis;
        this.publisher = publisher;
    }

    @Override
    public Mono<Health> get() {
        if (publisher.saturated()) {
            return Mono.just(Health.down().withDetail("stream", publisher.stream())
                    .withDetail("reason", "publisher saturated").withDetail("bufferedRecords", publisher.buffered())
                    .build());
        }
        return Mono.fromFuture(() -> kinesis.describeStreamSummary(request -> request.streamName(publisher.stream())))
                .map(response -> {
                    StreamStatus status = response.streamDescriptionSummary().streamStatus();
                    Health.Builder health = status == StreamStatus.ACTIVE || status == StreamStatus.UPDATING
                            ? Health.up() : Health.down();
                    return health.withDetail("stream", publisher.stream())
                            .withDetail("status", response.streamDescriptionSummary().streamStatusAsString())
                            .withDetail("bufferedRecords", publisher.buffered()).build();
                });
    }
}
