package org.reactivetracking.eventstore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.model.EnhancedGlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

/**
 * Creates the events and dead-letter tables when {@code eventstore.create-tables} is set (local runs and tests), the
 * dead-letter table with its time to live on {@code expiresAt}.
 */
@Component
class EventTables {

    private static final Logger log = LoggerFactory.getLogger(EventTables.class);

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
            dynamo.updateTimeToLive(request -> request.tableName(writer.deadLetters().tableName())
                    .timeToLiveSpecification(ttl -> ttl.enabled(true).attributeName(DeadLetterItem.TTL_ATTRIBUTE)));
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
