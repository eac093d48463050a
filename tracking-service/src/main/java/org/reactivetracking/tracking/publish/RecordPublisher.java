package org.reactivetracking.tracking.publish;

import reactor.core.publisher.Mono;

/** Puts records on one stream. What the service needs of Kinesis, nothing of how the SDK does it. */
public interface RecordPublisher {

    /**
     * Publishes one record.
     *
     * @return completes once the stream has durably accepted the record; fails with
     *         {@link PublishRejectedException} when it was not accepted by its deadline or could not be buffered,
     *         saying whether the record is certainly not on the stream or may be
     */
    Mono<Void> publish(String partitionKey, byte[] data);
}
