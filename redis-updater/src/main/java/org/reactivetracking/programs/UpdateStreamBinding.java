package org.reactivetracking.programs;

import java.util.function.Consumer;
import org.reactivetracking.kinesis.KinesisBatch;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * The binding {@code programUpdates-in-0}: batches from the update stream (batch listener, manual checkpoints),
 * checkpointed only after {@link UpdateBatchHandler} has applied all of them. Redelivery is harmless: updates are
 * idempotent by version.
 */
@Configuration(proxyBeanMethods = false)
class UpdateStreamBinding {

    @Bean
    Consumer<Message<?>> programUpdates(UpdateBatchHandler handler) {
        return message -> {
            KinesisBatch batch = KinesisBatch.of(message);
            handler.handle(batch.records());
            batch.checkpoint();
        };
    }
}
