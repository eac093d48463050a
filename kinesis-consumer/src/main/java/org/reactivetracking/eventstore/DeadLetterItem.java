package org.reactivetracking.eventstore;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;

/**
 * A record that can never be stored as an event, kept with where it came from and why. Keyed by its stream
 * position, so a redelivered poison record does not add a second dead letter.
 * <p>
 * A dead letter always fits in DynamoDB: it keeps at most {@value #MAX_DATA_BYTES} bytes of the record (a Kinesis
 * record may hold 1 MiB, an item 400 KB), with the record's full length and SHA-256 digest, and a reason of at most
 * {@value #MAX_ERROR_LENGTH} characters. It expires ({@code expiresAt}, the table's time-to-live attribute) after the
 * configured retention, so the table stays bounded whatever producers send.
 */
@DynamoDbBean
public class DeadLetterItem {

    static final int MAX_DATA_BYTES = 256 * 1024;
    static final int MAX_ERROR_LENGTH = 1000;
    static final String TTL_ATTRIBUTE = "expiresAt";
    static final TableSchema<DeadLetterItem> SCHEMA = TableSchema.fromBean(DeadLetterItem.class);

    private String id;
    private String stream;
    private String shardId;
    private String sequenceNumber;
    private Long subSequenceNumber;
    private SdkBytes data;
    private int dataLength;
    private String dataSha256;
    private boolean dataTruncated;
    private String error;
    private String failedAt;
    private long expiresAt;

    /**
     * @param subSequenceNumber the user record's index inside an aggregated record, {@code null} for a whole record
     * @param retention         how long the dead letter is kept
     */
    static DeadLetterItem of(String stream, String shardId, String sequenceNumber, Long subSequenceNumber,
            byte[] data, String error, Duration retention) {
        Instant now = Instant.now();
        DeadLetterItem item = new DeadLetterItem();
        item.id = stream + ":" + shardId + ":" + sequenceNumber
                + (subSequenceNumber == null ? "" : ":" + subSequenceNumber);
        item.subSequenceNumber = subSequenceNumber;
        item.stream = stream;
        item.shardId = shardId;
        item.sequenceNumber = sequenceNumber;
        item.dataTruncated = data.length > MAX_DATA_BYTES;
        item.data = SdkBytes.fromByteArrayUnsafe(item.dataTruncated ? Arrays.copyOf(data, MAX_DATA_BYTES) : data);
        item.dataLength = data.length;
        item.dataSha256 = sha256(data);
        item.error = error == null ? "" : error.length() <= MAX_ERROR_LENGTH ? error
                : error.substring(0, MAX_ERROR_LENGTH) + "...";
        item.failedAt = now.toString();
        item.expiresAt = now.plus(retention).getEpochSecond();
        return item;
    }

    /**
     * The same dead letter without the record's bytes (its length and digest stay), and why they were dropped: what is
     * written when DynamoDB refuses even the bounded copy.
     */
    DeadLetterItem withoutData(String refusal) {
        DeadLetterItem bare = new DeadLetterItem();
        bare.id = id;
        bare.stream = stream;
        bare.shardId = shardId;
        bare.sequenceNumber = sequenceNumber;
        bare.subSequenceNumber = subSequenceNumber;
        bare.data = SdkBytes.fromByteArrayUnsafe(new byte[0]);
        bare.dataLength = dataLength;
        bare.dataSha256 = dataSha256;
        bare.dataTruncated = dataLength > 0;
        String both = error + " (record bytes dropped: " + refusal + ")";
        bare.error = both.length() <= MAX_ERROR_LENGTH ? both : both.substring(0, MAX_ERROR_LENGTH) + "...";
        bare.failedAt = failedAt;
        bare.expiresAt = expiresAt;
        return bare;
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", ex);
        }
    }

    @DynamoDbPartitionKey
    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getStream() {
        return stream;
    }

    public void setStream(String stream) {
        this.stream = stream;
    }

    public String getShardId() {
        return shardId;
    }

    public void setShardId(String shardId) {
        this.shardId = shardId;
    }

    public String getSequenceNumber() {
        return sequenceNumber;
    }

    public void setSequenceNumber(String sequenceNumber) {
        this.sequenceNumber = sequenceNumber;
    }

    public Long getSubSequenceNumber() {
        return subSequenceNumber;
    }

    public void setSubSequenceNumber(Long subSequenceNumber) {
        this.subSequenceNumber = subSequenceNumber;
    }

    /** The record's bytes, or their first {@value #MAX_DATA_BYTES} when {@link #isDataTruncated()}. */
    public SdkBytes getData() {
        return data;
    }

    public void setData(SdkBytes data) {
        this.data = data;
    }

    /** The record's full length in bytes. */
    public int getDataLength() {
        return dataLength;
    }

    public void setDataLength(int dataLength) {
        this.dataLength = dataLength;
    }

    /** SHA-256 of the record's full bytes, hex. */
    public String getDataSha256() {
        return dataSha256;
    }

    public void setDataSha256(String dataSha256) {
        this.dataSha256 = dataSha256;
    }

    public boolean isDataTruncated() {
        return dataTruncated;
    }

    public void setDataTruncated(boolean dataTruncated) {
        this.dataTruncated = dataTruncated;
    }

    public String getError() {
        return error;
    }

    public void setError(String error) {
        this.error = error;
    }

    public String getFailedAt() {
        return failedAt;
    }

    public void setFailedAt(String failedAt) {
        this.failedAt = failedAt;
    }

    /** When DynamoDB may delete the dead letter (time to live), epoch seconds. */
    public long getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(long expiresAt) {
        this.expiresAt = expiresAt;
    }
}
