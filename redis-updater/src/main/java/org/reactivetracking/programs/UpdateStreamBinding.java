package org.reactivetracking.programs;

import io.awspring.cloud.kinesis.integration.Checkpointer;
import io.awspring.cloud.kinesis.integration.KinesisHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

/**
 * The binding {@code programUpdates-in-0}: batches from the update stream (batch listener, manual checkpoints),
 * checkpointed only after {@link UpdateBatchHandler} has applied all of them. Redelivery is harmless: updates are
 * idempotent by version.
 */
@Configuration(proxyBeanMethods = false)
class UpdateStreamBinding {

    @Bean
    Consumer<Message<?>> programUpdates(UpdateBatchHandler handler) {
        return batch -> {
            handler.handle(records(batch));
            Checkpointer checkpointer = batch.getHeaders().get(KinesisHeaders.CHECKPOINTER, Checkpointer.class);
            if (checkpointer == null) {
                throw new IllegalStateException("no checkpointer on the batch: set listener-mode batch and"
                        + " checkpoint-mode manual on the binding");
            }
            checkpointer.checkpoint();
        };
    }

    /**
     * The batch's records. The payload is taken as it comes: asking the binder to convert it to
     * {@code List<Message<byte[]>>} yields an empty list. Elements are the records as messages (or raw bytes).
     */
    private static List<UpdateRecord> records(Message<?> batch) {
        MessageHeaders outer = batch.getHeaders();
        if (!(batch.getPayload() instanceof List<?> elements)) {
            throw new IllegalStateException("expected a batch (a List) of records, got "
                    + batch.getPayload().getClass() + ": set batch-mode and listener-mode batch on the binding");
        }
        List<UpdateRecord> records = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            Object element = elements.get(i);
            MessageHeaders inner = element instanceof Message<?> message ? message.getHeaders() : outer;
            Object payload = element instanceof Message<?> message ? message.getPayload() : element;
            if (!(payload instanceof byte[] data)) {
                throw new IllegalStateException("records must arrive as bytes, got " + payload.getClass());
            }
            records.add(new UpdateRecord(header(inner, outer, KinesisHeaders.RECEIVED_STREAM, i),
                    header(inner, outer, KinesisHeaders.SHARD, i),
                    header(inner, outer, KinesisHeaders.RECEIVED_SEQUENCE_NUMBER, i), data));
        }
        return records;
    }

    private static String header(MessageHeaders inner, MessageHeaders outer, String name, int index) {
        Object value = inner.get(name);
        if (value == null) {
            value = outer.get(name);
        }
        if (value instanceof List<?> list) {
            value = index < list.size() ? list.get(index) : null;
        }
        return value == null ? "unknown" : value.toString();
    }
}
