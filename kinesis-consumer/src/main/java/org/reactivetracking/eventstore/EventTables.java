package org.reactivetracking.eventstore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.model.EnhancedGlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

/**
 * Creates the events and dead-letter tables when {@code eventstore.create-tables} is set (local runs and tests), the
 * dead-letter table with its time to live on {@code expiresAt}.
 * <p>
 * A local engine that does not know {@code UpdateTimeToLive} (dynalite answers {@code UnknownOperationException})
 * gets the table without it, and one WARN line says so: its dead letters are kept until deleted by hand. Every other
 * refusal fails the start. On AWS the stack in {@code deploy/} creates both tables, each with its time to live.
 */
@Component
class EventTables {

    private static final Logger log = LoggerFactory.getLogger(EventTables.class);
    /** What an engine without an operation answers (dynalite, for UpdateTimeToLive); AWS knows every one. */
    private static final String UNKNOWN_OPERATION = "UnknownOperationException";

    private final EventWriter writer;
    private final DynamoDbClient dynamo;
    private final boolean create;

    EventTables(EventWriter writer, DynamoDbClient dynamo, EventStoreProperties properties) {
        this.writer = writer;
        this.dynamo = dynamo;
        this.create = properties.createTables();
        if (create) {
            createIfMissing();
        }
    }

    void createIfMissing() {
        create(writer.events(), EnhancedGlobalSecondaryIndex.builder().indexName(EventItem.BY_PROGRAM_INDEX)
                .projection(projection -> projection.projectionType(ProjectionType.ALL)).build());
        if (create(writer.deadLetters(), null)) {
            expire(writer.deadLetters().tableName(), DeadLetterItem.TTL_ATTRIBUTE);
        }
    }

    private void expire(String table, String attribute) {
        try {
            dynamo.updateTimeToLive(request -> request.tableName(table)
                    .timeToLiveSpecification(ttl -> ttl.enabled(true).attributeName(attribute)));
        }
        catch (DynamoDbException ex) {
            if (ex.awsErrorDetails() == null || !UNKNOWN_OPERATION.equals(ex.awsErrorDetails().errorCode())) {
                throw ex;
            }
            log.warn("Created table {} without a time to live on {}: this DynamoDB engine does not know"
                    + " UpdateTimeToLive ({}); its items are kept until deleted", table, attribute, ex.getMessage());
        }
    }

    /** @return {@code true} when the table was created now */
    private boolean create(DynamoDbTable<?> table, EnhancedGlobalSecondaryIndex index) {
        try {
            table.createTable(request -> {
                if (index != null) {
                    request.globalSecondaryIndices(index);
                }
            });
            log.info("Created table {}", table.tableName());
        }
        catch (ResourceInUseException exists) {
            return false;
        }
        dynamo.waiter().waitUntilTableExists(request -> request.tableName(table.tableName()));
        return true;
    }
}
