package org.reactivetracking.kinesis;

import io.awspring.cloud.kinesis.integration.Checkpointer;
import io.awspring.cloud.kinesis.integration.KinesisHeaders;
import java.util.ArrayList;
import java.util.List;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

/**
 * One batch as the Kinesis binder hands it to a batch listener ({@code batch-mode: true},
 * {@code listener-mode: batch}, {@code checkpoint-mode: manual}): its records with their positions, and its
 * checkpointer.
 * <p>
 * Listeners take the batch as {@code Message<?>}: asking the binder to convert the payload to
 * {@code List<Message<byte[]>>} yields an empty list. The elements are the records as messages (or raw bytes).
 */
public final class KinesisBatch {

    private final List<Record> records;
    private final Checkpointer checkpointer;

    private KinesisBatch(List<Record> records, Checkpointer checkpointer) {
        this.records = records;
        this.checkpointer = checkpointer;
    }

    /**
     * @throws IllegalStateException when the message is not a batch with a checkpointer, naming the binding
     *                               settings that make it one
     */
    public static KinesisBatch of(Message<?> batch) {
        MessageHeaders outer = batch.getHeaders();
        Checkpointer checkpointer = outer.get(KinesisHeaders.CHECKPOINTER, Checkpointer.class);
        if (!(batch.getPayload() instanceof List<?> elements) || checkpointer == null) {
            throw new IllegalStateException("expected a batch of records with a checkpointer: set batch-mode: true,"
                    + " listener-mode: batch and checkpoint-mode: manual on the binding");
        }
        List<Record> records = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            Object element = elements.get(i);
            MessageHeaders inner = element instanceof Message<?> message ? message.getHeaders() : outer;
            Object payload = element instanceof Message<?> message ? message.getPayload() : element;
            if (!(payload instanceof byte[] data)) {
                throw new IllegalStateException("records must arrive as bytes, got " + payload.getClass());
            }
            records.add(new Record(header(inner, outer, KinesisHeaders.RECEIVED_STREAM, i),
                    header(inner, outer, KinesisHeaders.SHARD, i),
                    header(inner, outer, KinesisHeaders.RECEIVED_SEQUENCE_NUMBER, i), data));
        }
        return new KinesisBatch(List.copyOf(records), checkpointer);
    }

    public List<Record> records() {
        return records;
    }

    /**
     * Checkpoints the whole batch. Call it only once every record is durably handled.
     *
     * @return {@code false} when the checkpoint was not stored (the shard's lease moved on); the batch may then be
     *         delivered again, which the listeners' idempotent writes make harmless
     */
    public boolean checkpoint() {
        return checkpointer.checkpoint();
    }

    /**
     * Checkpoints the batch up to and including the record with {@code sequenceNumber}: progress inside a large
     * batch, at a Kinesis record boundary. Call it only once every record up to it is durably handled.
     *
     * @return {@code false} when the checkpoint was not stored (the lease moved on, or a later one is stored)
     */
    public boolean checkpoint(String sequenceNumber) {
        return checkpointer.checkpoint(sequenceNumber);
    }

    /** Where the batch sits, for log lines: its size, stream, shard and first sequence number. */
    @Override
    public String toString() {
        if (records.isEmpty()) {
            return "an empty batch";
        }
        Record first = records.get(0);
        return "the batch of " + records.size() + " records of " + first.stream() + "/" + first.shardId()
                + " from sequence number " + first.sequenceNumber();
    }

    /** A record's header: on the record itself, or the batch's (a list in record order, or one value). */
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

    /** One record: its bytes and where it sits on the stream. */
    public record Record(String stream, String shardId, String sequenceNumber, byte[] data) {
    }
}
