package org.reactivetracking.kinesis;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A consumer group's KCL lease table, as this project creates and leaves it. The KCL (3.5, single-table format) keeps
 * in it one item per shard ({@code leaseKey} = the shard id, {@code leaseOwner} = the worker reading it,
 * {@code checkpoint} and {@code checkpointSubSequenceNumber}, {@code leaseCounter}), its leader's lock and one item per
 * worker with its metrics ({@code leaseKey} = the worker id).
 */
final class LeaseTable {

    /** The index the KCL finds a worker's leases by; it adds it itself where missing, with UpdateTable. */
    static final String OWNER_INDEX = "LeaseOwnerToLeaseKeyIndex";

    private static final Logger log = LoggerFactory.getLogger(LeaseTable.class);

    private final DynamoDbClient dynamo;
    private final String table;

    LeaseTable(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    String name() {
        return table;
    }

    /**
     * Creates the table unless it exists, on demand, with the owner index the KCL needs (created with the table: a
     * local engine may refuse the KCL's own UpdateTable for it, dynalite asks for a provisioned throughput), and waits
     * until it is ACTIVE.
     */
    void createIfMissing() {
        try {
            dynamo.createTable(request -> request.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            attribute -> attribute.attributeName("leaseKey").attributeType(ScalarAttributeType.S),
                            attribute -> attribute.attributeName("leaseOwner").attributeType(ScalarAttributeType.S))
                    .keySchema(key -> key.attributeName("leaseKey").keyType(KeyType.HASH))
                    .globalSecondaryIndexes(index -> index.indexName(OWNER_INDEX)
                            .keySchema(key -> key.attributeName("leaseOwner").keyType(KeyType.HASH),
                                    key -> key.attributeName("leaseKey").keyType(KeyType.RANGE))
                            .projection(projection -> projection.projectionType(ProjectionType.KEYS_ONLY))));
            log.info("Created lease table {}", table);
        }
        catch (ResourceInUseException exists) {
            // created before, by another instance or an earlier start
        }
        dynamo.waiter().waitUntilTableExists(request -> request.tableName(table));
        requireLeaseTable();
    }

    /**
     * Fails unless the table, where it exists, is keyed as a lease table ({@code leaseKey}): a lease table named like
     * another table of the application (the events table, say) would otherwise mix leases into its items.
     *
     * @throws IllegalStateException naming the table, its key and the setting that names it
     */
    void requireLeaseTable() {
        List<KeySchemaElement> key;
        try {
            key = dynamo.describeTable(request -> request.tableName(table)).table().keySchema();
        }
        catch (ResourceNotFoundException missing) {
            return;
        }
        if (key.size() != 1 || !key.get(0).attributeName().equals("leaseKey")) {
            throw new IllegalStateException("Table " + table + " is not a KCL lease table (its key is "
                    + key.stream().map(KeySchemaElement::attributeName).toList() + ", a lease table's is leaseKey):"
                    + " give the consumer a lease table of its own (kinesis.consumer.lease-table, or the binding's"
                    + " group: CONSUMER_GROUP)");
        }
    }

    /**
     * Gives up every lease {@code workerId} holds, as the KCL's own eviction does (its owner removed, its counter
     * raised, on condition that it is still this worker's), and removes the worker's metrics item, so the leader
     * counts it out and assigns its shards to the others at its next run, without waiting for the leases to expire.
     * Call it once the worker's KCL has stopped.
     *
     * @return how many leases were given up
     */
    int release(String workerId) {
        Map<String, AttributeValue> me = Map.of(":me", AttributeValue.fromS(workerId), ":one",
                AttributeValue.fromN("1"));
        int released = 0;
        for (Map<String, AttributeValue> item : dynamo.scanPaginator(request -> request.tableName(table)
                .consistentRead(true)).items()) {
            String leaseKey = item.get("leaseKey").s();
            boolean owner = workerId.equals(text(item, "leaseOwner"));
            boolean handingOver = workerId.equals(text(item, "checkpointOwner"));
            if (!owner && !handingOver) {
                continue;
            }
            try {
                dynamo.updateItem(request -> request.tableName(table)
                        .key(Map.of("leaseKey", AttributeValue.fromS(leaseKey)))
                        .updateExpression(owner ? "REMOVE leaseOwner, checkpointOwner ADD leaseCounter :one"
                                : "REMOVE checkpointOwner ADD leaseCounter :one")
                        .conditionExpression(owner ? "leaseOwner = :me" : "checkpointOwner = :me")
                        .expressionAttributeValues(me));
                released++;
            }
            catch (ConditionalCheckFailedException movedOn) {
                // taken by another worker meanwhile: not ours to give up
            }
        }
        dynamo.deleteItem(request -> request.tableName(table)
                .key(Map.of("leaseKey", AttributeValue.fromS(workerId))));
        return released;
    }

    private static String text(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null ? null : value.s();
    }
}
