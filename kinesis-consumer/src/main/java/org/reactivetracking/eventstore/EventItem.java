package org.reactivetracking.eventstore;

import java.time.Duration;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.TrackingEvent;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondarySortKey;

/**
 * A stored tracking event. Keyed by the event's message id, so a redelivered record overwrites its own item; the
 * index {@value #BY_PROGRAM_INDEX} answers "the events of program X between two times".
 */
@DynamoDbBean
public class EventItem {

    public static final String BY_PROGRAM_INDEX = "programId-receivedAt-index";
    /** How items map to DynamoDB attributes (built once: reflecting over the bean is not cheap). */
    static final TableSchema<EventItem> SCHEMA = TableSchema.fromBean(EventItem.class);

    private String messageId;
    private String programId;
    private String programName;
    private String checksum;
    private int customerId;
    private String customerName;
    private boolean valid;
    private String userAgent;
    private long receivedAt;
    private boolean receivedAtEstimated;
    private String traceHeader;
    private String shardId;
    private String sequenceNumber;
    private Long subSequenceNumber;
    private long storedAt;
    private Long expiresAt;

    /**
     * @param subSequenceNumber the event's index inside an aggregated record, {@code null} for a plain record
     */
    static EventItem of(TrackingEvent event, long fallbackReceivedAt, String shardId, String sequenceNumber,
            Long subSequenceNumber) {
        return of(event, fallbackReceivedAt, shardId, sequenceNumber, subSequenceNumber, null);
    }

    /**
     * @param retention how long the event is kept ({@code expiresAt} = receive time + retention, so a redelivered
     *                  event expires when the first copy would have), {@code null} to keep it for good
     */
    static EventItem of(TrackingEvent event, long fallbackReceivedAt, String shardId, String sequenceNumber,
            Long subSequenceNumber, Duration retention) {
        Program program = event.program();
        EventItem item = new EventItem();
        item.messageId = event.messageId();
        item.programId = program.programId();
        item.programName = program.programName();
        item.checksum = program.checksum();
        item.customerId = program.customerId();
        item.customerName = program.customerName();
        item.valid = program.valid();
        item.userAgent = event.userAgent();
        item.receivedAtEstimated = event.receivedAt() == null;
        item.receivedAt = event.receivedAt() == null ? fallbackReceivedAt : event.receivedAt().toEpochMilli();
        item.traceHeader = event.traceHeader();
        item.shardId = shardId;
        item.sequenceNumber = sequenceNumber;
        item.subSequenceNumber = subSequenceNumber;
        // stamped again when written; set now so the item's size is already what DynamoDB will count
        item.storedAt = fallbackReceivedAt;
        item.expiresAt = retention == null ? null : item.receivedAt / 1000 + retention.toSeconds();
        return item;
    }

    @DynamoDbPartitionKey
    public String getMessageId() {
        return messageId;
    }

    public void setMessageId(String messageId) {
        this.messageId = messageId;
    }

    @DynamoDbSecondaryPartitionKey(indexNames = BY_PROGRAM_INDEX)
    public String getProgramId() {
        return programId;
    }

    public void setProgramId(String programId) {
        this.programId = programId;
    }

    public String getProgramName() {
        return programName;
    }

    public void setProgramName(String programName) {
        this.programName = programName;
    }

    public String getChecksum() {
        return checksum;
    }

    public void setChecksum(String checksum) {
        this.checksum = checksum;
    }

    public int getCustomerId() {
        return customerId;
    }

    public void setCustomerId(int customerId) {
        this.customerId = customerId;
    }

    public String getCustomerName() {
        return customerName;
    }

    public void setCustomerName(String customerName) {
        this.customerName = customerName;
    }

    public boolean isValid() {
        return valid;
    }

    public void setValid(boolean valid) {
        this.valid = valid;
    }

    public String getUserAgent() {
        return userAgent;
    }

    public void setUserAgent(String userAgent) {
        this.userAgent = userAgent;
    }

    /** When the tracking service received the request, epoch milliseconds. */
    @DynamoDbSecondarySortKey(indexNames = BY_PROGRAM_INDEX)
    public long getReceivedAt() {
        return receivedAt;
    }

    public void setReceivedAt(long receivedAt) {
        this.receivedAt = receivedAt;
    }

    /** {@code true} for records of older producers without a receive time: the time of storing stands in. */
    public boolean isReceivedAtEstimated() {
        return receivedAtEstimated;
    }

    public void setReceivedAtEstimated(boolean receivedAtEstimated) {
        this.receivedAtEstimated = receivedAtEstimated;
    }

    public String getTraceHeader() {
        return traceHeader;
    }

    public void setTraceHeader(String traceHeader) {
        this.traceHeader = traceHeader;
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

    /** When the consumer wrote the item, epoch milliseconds: with {@code receivedAt}, the end-to-end lag. */
    public long getStoredAt() {
        return storedAt;
    }

    public void setStoredAt(long storedAt) {
        this.storedAt = storedAt;
    }

    /**
     * When DynamoDB may delete the event (the table's time to live, when the stack sets one), epoch seconds; absent
     * unless {@code eventstore.event-retention} is set.
     */
    public Long getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(Long expiresAt) {
        this.expiresAt = expiresAt;
    }
}
