package org.reactivetracking.kinesis;

import io.awspring.cloud.kinesis.integration.KinesisHeaders;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import software.amazon.kinesis.exceptions.KinesisClientLibException;
import software.amazon.kinesis.exceptions.KinesisClientLibRetryableException;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * One batch as the Kinesis binder's KCL consumer hands it to a batch listener ({@code kpl-kcl-enabled: true},
 * {@code batch-mode: true}, {@code listener-mode: batch}, {@code checkpoint-mode: manual},
 * {@code use-native-decoding: true}): the KCL's records of one shard, with their positions, and the shard's
 * checkpointer.
 * <p>
 * The KCL has already unpacked aggregated records: each user record arrives on its own with the aggregated record's
 * sequence number and its own sub-sequence number, and a checkpoint can fall between two user records of one
 * aggregated record. A record that only claims to be aggregated (the magic bytes with a body that does not unpack)
 * arrives whole, as the KCL does not know what else to do with it.
 */
public final class KinesisBatch {

    private static final Logger log = LoggerFactory.getLogger(KinesisBatch.class);

    private final String shardId;
    private final List<Record> records;
    private final RecordProcessorCheckpointer checkpointer;

    private KinesisBatch(String shardId, List<Record> records, RecordProcessorCheckpointer checkpointer) {
        this.shardId = shardId;
        this.records = records;
        this.checkpointer = checkpointer;
    }

    /**
     * @throws IllegalStateException when the message is not a batch of KCL records with a checkpointer, naming the
     *                               binding settings that make it one
     */
    public static KinesisBatch of(Message<?> batch) {
        MessageHeaders headers = batch.getHeaders();
        if (!(batch.getPayload() instanceof List<?> elements)
                || !(headers.get(KinesisHeaders.CHECKPOINTER) instanceof RecordProcessorCheckpointer checkpointer)) {
            throw new IllegalStateException("expected a batch of KCL records with the KCL's checkpointer: set"
                    + " kpl-kcl-enabled: true on the binder, batch-mode: true and use-native-decoding: true on the"
                    + " binding, listener-mode: batch and checkpoint-mode: manual on its kinesis consumer");
        }
        String stream = String.valueOf(headers.get(KinesisHeaders.RECEIVED_STREAM));
        String shardId = String.valueOf(headers.get(KinesisHeaders.SHARD));
        List<Record> records = new ArrayList<>(elements.size());
        for (Object element : elements) {
            if (!(element instanceof KinesisClientRecord record)) {
                throw new IllegalStateException("records must arrive as the KCL's KinesisClientRecord"
                        + " (use-native-decoding: true), got " + (element == null ? null : element.getClass()));
            }
            records.add(new Record(stream, shardId, record.sequenceNumber(),
                    record.aggregated() ? record.subSequenceNumber() : null, bytes(record.data())));
        }
        return new KinesisBatch(shardId, List.copyOf(records), checkpointer);
    }

    /** The shard the batch comes from (an empty batch too: the KCL polled the shard and found nothing new). */
    public String shardId() {
        return shardId;
    }

    public List<Record> records() {
        return records;
    }

    /**
     * Checkpoints the whole batch. Call it only once every record is durably handled.
     *
     * @return {@code false} when the checkpoint was not stored (the shard's lease moved on, or the lease table did
     *         not answer); the batch may then be delivered again, which the listeners' idempotent writes make
     *         harmless
     */
    public boolean checkpoint() {
        return records.isEmpty() || checkpoint(records.get(records.size() - 1));
    }

    /**
     * Checkpoints the batch up to and including {@code record}, one of its records: progress inside a large batch.
     * Call it only once every record up to it is durably handled.
     *
     * @return {@code false} when the checkpoint was not stored (the lease moved on, or the lease table did not
     *         answer)
     */
    public boolean checkpoint(Record record) {
        try {
            checkpointer.checkpoint(record.sequenceNumber(), record.subSequence() == null ? 0 : record.subSequence());
            return true;
        }
        catch (KinesisClientLibException | KinesisClientLibRetryableException ex) {
            // a lost lease (ShutdownException), a missing or unreachable lease table: never a loss, the next
            // checkpoint covers these records, or the next owner reads them again
            log.warn("Checkpoint at {} of {}/{} not stored ({}): the records up to it may be delivered again",
                    record.position(), record.stream(), record.shardId(), ex.toString());
            return false;
        }
    }

    /** Where the batch sits, for log lines: its size, stream, shard and first position. */
    @Override
    public String toString() {
        if (records.isEmpty()) {
            return "an empty batch";
        }
        Record first = records.get(0);
        return "the batch of " + records.size() + " records of " + first.stream() + "/" + first.shardId() + " from "
                + first.position();
    }

    private static byte[] bytes(ByteBuffer data) {
        ByteBuffer copy = data.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    /**
     * One record: its bytes and where it sits on the stream.
     *
     * @param subSequence the user record's place in the aggregated record it came in, {@code null} for a plain
     *                    record
     */
    public record Record(String stream, String shardId, String sequenceNumber, Long subSequence, byte[] data) {

        /** The sequence number, with the sub-sequence number of a user record ({@code 4961...0002/17}). */
        public String position() {
            return subSequence == null ? sequenceNumber : sequenceNumber + "/" + subSequence;
        }
    }
}
