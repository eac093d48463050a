package org.reactivetracking.tracking.publish;

import reactor.core.publisher.Mono;

/** Puts records on one stream. What the service needs of Kinesis, nothing of how the SDK does it. */
public interface RecordPublisher {

    /**
     * Publishes one record.
     *
     * @return completes once the stream has durably accepted the record; fails with
     *         {@link PublishRejectedException} when it was not accepted in time or could not be buffered
     */
    Mono<Void> publish(String partitionKey, byte[] data);
}
