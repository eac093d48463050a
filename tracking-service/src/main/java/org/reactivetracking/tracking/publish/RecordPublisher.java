package org.reactivetracking.tracking.publish;

import java.util.concurrent.Executor;
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

    /**
     * Publishes one record, its caller answered on {@code answerOn} (the event loop of the caller's connection, or
     * null for whichever thread learns the outcome): a publisher that answers many callers at once can then answer
     * all of one loop's in one task there, and each answer is written from the loop that owns its connection.
     */
    default Mono<Void> publish(String partitionKey, byte[] data, Executor answerOn) {
        return publish(partitionKey, data);
    }
}
