package org.reactivetracking.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import org.reactivetracking.model.wire.AggregatedRecord;
import org.reactivetracking.model.wire.Record;

/**
 * The Kinesis Producer Library's aggregated record format: many user records in one Kinesis record, as the KCL and
 * the KPL read and write it. On the stream: the magic bytes {@code F3 89 9A C2}, a protobuf
 * {@code AggregatedRecord}, and the MD5 digest of that protobuf.
 * <p>
 * Every user record in a record packed here shares the record's partition key, so a consumer that drops user
 * records hashing outside its shard (the KCL does after resharding) keeps all of them.
 */
public final class AggregatedRecords {

    /** The most a Kinesis record may hold: its data and its partition key together. */
    public static final int MAX_KINESIS_RECORD_BYTES = 1024 * 1024;

    private static final byte[] MAGIC = { (byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2 };
    private static final int DIGEST_BYTES = 16;

    private AggregatedRecords() {
    }

    /** {@code true} when the record starts with the aggregation magic bytes (it may still be corrupt). */
    public static boolean isAggregated(byte[] data) {
        return data.length >= MAGIC.length + DIGEST_BYTES
                && Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * The user records inside an aggregated record, in order.
     *
     * @throws InvalidRecordException when the digest does not match or the protobuf does not parse: none of its
     *                                user records can be trusted
     */
    public static List<byte[]> unpack(byte[] data) {
        if (!isAggregated(data)) {
            throw new InvalidRecordException("not an aggregated record: no magic bytes");
        }
        int protobufBytes = data.length - MAGIC.length - DIGEST_BYTES;
        MessageDigest md5 = md5();
        md5.update(data, MAGIC.length, protobufBytes);
        if (!Arrays.equals(md5.digest(), 0, DIGEST_BYTES, data, data.length - DIGEST_BYTES, data.length)) {
            throw new InvalidRecordException("aggregated record of " + data.length + " bytes with a wrong MD5 digest");
        }
        AggregatedRecord aggregated;
        try {
            aggregated = AggregatedRecord.parseFrom(ByteBuffer.wrap(data, MAGIC.length, protobufBytes));
        }
        catch (InvalidProtocolBufferException ex) {
            throw new InvalidRecordException("not a protobuf AggregatedRecord: " + ex.getMessage(), ex);
        }
        return aggregated.getRecordsList().stream().map(record -> record.getData().toByteArray()).toList();
    }

    /** Packs user records into one aggregated record, knowing its exact size before each addition. */
    public static final class Packer {

        private final String partitionKey;
        private final int partitionKeyBytes;
        private final AggregatedRecord.Builder builder = AggregatedRecord.newBuilder();
        private int protobufBytes;

        public Packer(String partitionKey) {
            this.partitionKey = partitionKey;
            this.partitionKeyBytes = partitionKey.getBytes(StandardCharsets.UTF_8).length;
            builder.addPartitionKeyTable(partitionKey);
            protobufBytes = CodedOutputStream.computeStringSize(1, partitionKey);
        }

        /** The Kinesis record's size (data and partition key) once {@code dataLength} more bytes are added. */
        public int sizeWith(int dataLength) {
            return recordBytes(protobufBytes + entryBytes(dataLength));
        }

        /** The Kinesis record's size so far (data and partition key). */
        public int size() {
            return recordBytes(protobufBytes);
        }

        public int count() {
            return builder.getRecordsCount();
        }

        public String partitionKey() {
            return partitionKey;
        }

        public Packer add(byte[] data) {
            builder.addRecords(Record.newBuilder().setPartitionKeyIndex(0).setData(ByteString.copyFrom(data)));
            protobufBytes += entryBytes(data.length);
            return this;
        }

        /** The record's data: magic bytes, the protobuf and its MD5 digest. */
        public byte[] toBytes() {
            byte[] protobuf = builder.build().toByteArray();
            byte[] out = new byte[MAGIC.length + protobuf.length + DIGEST_BYTES];
            System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
            System.arraycopy(protobuf, 0, out, MAGIC.length, protobuf.length);
            System.arraycopy(md5().digest(protobuf), 0, out, MAGIC.length + protobuf.length, DIGEST_BYTES);
            return out;
        }

        private int recordBytes(int protobuf) {
            return MAGIC.length + protobuf + DIGEST_BYTES + partitionKeyBytes;
        }

        /** One {@code records} entry: partition_key_index 0 and the data, length-delimited. */
        private static int entryBytes(int dataLength) {
            int record = CodedOutputStream.computeUInt64Size(1, 0)
                    + CodedOutputStream.computeTagSize(3) + CodedOutputStream.computeUInt32SizeNoTag(dataLength)
                    + dataLength;
            return CodedOutputStream.computeTagSize(3) + CodedOutputStream.computeUInt32SizeNoTag(record) + record;
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("MD5 is required of every Java runtime", ex);
        }
    }
}
