package org.reactivetracking.programs;

import io.micrometer.core.instrument.MeterRegistry;
import org.reactivetracking.kinesis.Backoff;
import org.reactivetracking.kinesis.BatchListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The binding {@code programUpdates-in-0}: batches from the update stream (batch listener, manual checkpoints),
 * checkpointed only after {@link UpdateBatchHandler} has handled all of them. Redelivery is harmless: updates are
 * idempotent by version.
 */
@Configuration(proxyBeanMethods = false)
class UpdateStreamBinding {

    @Bean
    BatchListener programUpdates(UpdateBatchHandler handler, ProgramUpdaterProperties settings,
            MeterRegistry meters) {
        return new BatchListener(handler, new Backoff(settings.initialBackoff(), settings.maxBackoff()), meters,
                "programs");
    }
}
