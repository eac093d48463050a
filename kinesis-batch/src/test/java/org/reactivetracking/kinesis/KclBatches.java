package org.reactivetracking.kinesis;

import io.awspring.cloud.kinesis.integration.KinesisHeaders;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import software.amazon.kinesis.processor.PreparedCheckpointer;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * Batches as the binder's KCL adapter hands them to a listener (native decoding, manual checkpoints), for the unit
 * tests of the listeners: the records of one shard and a checkpointer that writes down every checkpoint it is asked
 * for ({@code <sequence>/<sub-sequence>}).
 */
public final class KclBatches {

    public static final String STREAM = "events";
    public static final String SHARD = "shardId-000000000000";

    /** Every checkpoint asked for, in order. */
    public final List<String> checkpoints = new CopyOnWriteArrayList<>();
    private final List<String> log;
    private final List<KinesisClientRecord> records = new ArrayList<>();

    public KclBatches() {
        this(new ArrayList<>());
    }

    /** Also writes each checkpoint to {@code log} ({@code checkpoint <sequence>/<sub-sequence>}). */
    public KclBatches(List<String> log) {
        this.log = log;
    }

    /** A plain record. */
    public KclBatches plain(String sequenceNumber, byte[] data) {
        records.add(KinesisClientRecord.builder().sequenceNumber(sequenceNumber).data(ByteBuffer.wrap(data))
                .partitionKey("k").build());
        return this;
    }

    /** A user record the KCL unpacked from the aggregated record {@code sequenceNumber}. */
    public KclBatches userRecord(String sequenceNumber, long subSequenceNumber, byte[] data) {
        records.add(KinesisClientRecord.builder().sequenceNumber(sequenceNumber).subSequenceNumber(subSequenceNumber)
                .aggregated(true).data(ByteBuffer.wrap(data)).partitionKey("k").build());
        return this;
    }

    /** The batch message of the records added so far. */
    public Message<List<KinesisClientRecord>> message() {
        return MessageBuilder.withPayload(List.copyOf(records)).setHeader(KinesisHeaders.RECEIVED_STREAM, STREAM)
                .setHeader(KinesisHeaders.SHARD, SHARD).setHeader(KinesisHeaders.CHECKPOINTER, checkpointer())
                .build();
    }

    /** The records added so far as the listeners read them. */
    public KinesisBatch batch() {
        return KinesisBatch.of(message());
    }

    private RecordProcessorCheckpointer checkpointer() {
        return new RecordProcessorCheckpointer() {

            @Override
            public void checkpoint() {
                throw new UnsupportedOperationException("the listeners name the record they checkpoint");
            }

            @Override
            public void checkpoint(software.amazon.awssdk.services.kinesis.model.Record record) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void checkpoint(String sequenceNumber) {
                throw new UnsupportedOperationException("a sub-sequence number is always given");
            }

            @Override
            public void checkpoint(String sequenceNumber, long subSequenceNumber) {
                checkpoints.add(sequenceNumber + "/" + subSequenceNumber);
                log.add("checkpoint " + sequenceNumber + "/" + subSequenceNumber);
            }

            @Override
            public PreparedCheckpointer prepareCheckpoint() {
                throw new UnsupportedOperationException();
            }

            @Override
            public PreparedCheckpointer prepareCheckpoint(byte[] applicationState) {
                throw new UnsupportedOperationException();
            }

            @Override
            public PreparedCheckpointer prepareCheckpoint(software.amazon.awssdk.services.kinesis.model.Record record) {
                throw new UnsupportedOperationException();
            }

            @Override
            public PreparedCheckpointer prepareCheckpoint(software.amazon.awssdk.services.kinesis.model.Record record,
                    byte[] applicationState) {
                throw new UnsupportedOperationException();
            }

            @Override
            public PreparedCheckpointer prepareCheckpoint(String sequenceNumber) {
                throw new UnsupportedOperationException();
            }

            @Override
            public PreparedCheckpointer prepareCheckpoint(String sequenceNumber, byte[] applicationState) {
                throw new UnsupportedOperationException();
            }

            @Override
            public PreparedCheckpointer prepareCheckpoint(String sequenceNumber, long subSequenceNumber) {
                throw new UnsupportedOperationException();
            }

            @Override
            public PreparedCheckpointer prepareCheckpoint(String sequenceNumber, long subSequenceNumber,
                    byte[] applicationState) {
                throw new UnsupportedOperationException();
            }

            @Override
            public software.amazon.kinesis.processor.Checkpointer checkpointer() {
                throw new UnsupportedOperationException();
            }
        };
    }
}
