package org.reactivetracking.eventstore;

import java.util.function.Consumer;
import org.reactivetracking.kinesis.KinesisBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * The binding {@code trackingEvents-in-0}: batches from the event stream (batch listener, manual checkpoints). A
 * batch is checkpointed only after {@link EventBatchHandler} has stored all of it; if the process dies first, the
 * batch is delivered again and overwrites the same items.
 */
@Configuration(proxyBeanMethods = false)
class EventStreamBinding {

    private static final Logger log = LoggerFactory.getLogger(EventStreamBinding.class);

    @Bean
    Consumer<Message<?>> trackingEvents(EventBatchHandler handler) {
        return message -> {
            KinesisBatch batch = KinesisBatch.of(message);
            handler.handle(batch.records());
            if (!batch.checkpoint()) {
                log.debug("Checkpoint not stored (the shard's lease moved on); the batch may be delivered again");
            }
        };
    }
}
