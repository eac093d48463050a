package org.reactivetracking.system;

import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Select;

/** A table the kinesis-consumer writes, read in full: its item count, its items' positions and store times. */
record EventTable(DynamoDbClient dynamo, String name) {

    /** The items; 0 while the consumer has not created the table yet. */
    long count() {
        try {
            return dynamo.scanPaginator(request -> request.tableName(name).select(Select.COUNT)).stream()
                    .mapToLong(page -> page.count()).sum();
        }
        catch (ResourceNotFoundException notYetCreated) {
            return 0;
        }
    }

    /** Every item's {@code shardId} and {@code storedAt}, by message id. */
    Map<String, Map<String, AttributeValue>> items() {
        return dynamo.scanPaginator(request -> request.tableName(name).consistentRead(true)
                .projectionExpression("messageId, shardId, storedAt")).items().stream()
                .collect(Collectors.toMap(item -> item.get("messageId").s(), item -> item));
    }
}
