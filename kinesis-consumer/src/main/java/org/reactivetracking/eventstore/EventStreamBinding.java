package org.reactivetracking.eventstore;

import io.micrometer.core.instrument.MeterRegistry;
import org.reactivetracking.kinesis.Backoff;
import org.reactivetracking.kinesis.BatchListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The binding {@code trackingEvents-in-0}: batches from the event stream (batch listener, manual checkpoints). A
 * batch is checkpointed only after {@link EventBatchHandler} has stored all of it (and inside it at record
 * boundaries); if the process dies first, the rest is delivered again and overwrites the same items.
 */
@Configuration(proxyBeanMethods = false)
class EventStreamBinding {

    @Bean
    BatchListener trackingEvents(EventBatchHandler handler, EventStoreProperties properties, MeterRegistry meters) {
        return new BatchListener(handler, new Backoff(properties.retry().initialBackoff(),
                properties.retry().maxBackoff()), meters, "eventstore");
    }
}
