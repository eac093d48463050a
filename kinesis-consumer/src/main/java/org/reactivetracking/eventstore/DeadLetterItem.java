package org.reactivetracking.eventstore;

import java.time.Instant;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;

/**
 * A record that can never be stored as an event, kept with where it came from and why. Keyed by its stream
 * position, so a redelivered poison record does not add a second dead letter.
 */
@DynamoDbBean
public class DeadLetterItem {

    private String id;
    private String stream;
    private String shardId;
    private String sequenceNumber;
    private Long subSequenceNumber;
    private SdkBytes data;
    private String error;
    private String failedAt;

    /**
     * @param subSequenceNumber the user record's index inside an aggregated record, {@code null} for a whole record
     */
    static DeadLetterItem of(String stream, String shardId, String sequenceNumber, Long subSequenceNumber,
            byte[] data, String error) {
        DeadLetterItem item = new DeadLetterItem();
        item.id = stream + ":" + shardId + ":" + sequenceNumber
                + (subSequenceNumber == null ? "" : ":" + subSequenceNumber);
        item.subSequenceNumber = subSequenceNumber;
        item.stream = stream;
        item.shardId = shardId;
        item.sequenceNumber = sequenceNumber;
        item.data = SdkBytes.fromByteArray(data);
        item.error = error;
        item.failedAt = Instant.now().toString();
        return item;
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

    public SdkBytes getData() {
        return data;
    }

    public void setData(SdkBytes data) {
        this.data = data;
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
}
