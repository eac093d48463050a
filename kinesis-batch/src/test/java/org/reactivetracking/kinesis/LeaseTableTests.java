package org.reactivetracking.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.reactivetracking.engines.LocalEngines;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The lease table on the DynamoDB engine the tests run (dynalite), with items shaped as the KCL writes them. */
class LeaseTableTests {

    private final DynamoDbClient dynamo = LocalEngines.shared().dynamoDbClient();
    private final String name = "leases-" + UUID.randomUUID().toString().substring(0, 8);
    private final LeaseTable table = new LeaseTable(dynamo, name);

    @Test
    void createsTheTableWithTheKclsOwnerIndexOnce() {
        table.createIfMissing();
        table.createIfMissing();

        var description = dynamo.describeTable(request -> request.tableName(name)).table();
        assertThat(description.keySchema()).singleElement().satisfies(key -> {
            assertThat(key.attributeName()).isEqualTo("leaseKey");
            assertThat(key.keyType()).isEqualTo(KeyType.HASH);
        });
        assertThat(description.globalSecondaryIndexes()).singleElement().satisfies(index -> {
            assertThat(index.indexName()).isEqualTo("LeaseOwnerToLeaseKeyIndex");
            assertThat(index.keySchema()).extracting(key -> key.attributeName()).containsExactly("leaseOwner",
                    "leaseKey");
        });
    }

    @Test
    void givesUpExactlyTheWorkersLeasesAndItsMetricsItem() {
        table.createIfMissing();
        put(lease("shardId-000000000000", "me", null, 7));
        put(lease("shardId-000000000001", "other", null, 3));
        put(lease("shardId-000000000002", "other", "me", 4));
        put(lease("shardId-000000000003", null, null, 0));
        put(Map.of("leaseKey", AttributeValue.fromS("me"), "entityType", AttributeValue.fromS("WORKER_METRIC_STATS")));
        put(Map.of("leaseKey", AttributeValue.fromS("other"), "entityType",
                AttributeValue.fromS("WORKER_METRIC_STATS")));

        assertThat(table.release("me")).isEqualTo(2);

        assertThat(get("shardId-000000000000")).doesNotContainKey("leaseOwner")
                .containsEntry("leaseCounter", AttributeValue.fromN("8"));
        assertThat(get("shardId-000000000001")).containsEntry("leaseOwner", AttributeValue.fromS("other"))
                .containsEntry("leaseCounter", AttributeValue.fromN("3"));
        // a hand-over from this worker: the new owner may take it at once
        assertThat(get("shardId-000000000002")).containsEntry("leaseOwner", AttributeValue.fromS("other"))
                .doesNotContainKey("checkpointOwner").containsEntry("leaseCounter", AttributeValue.fromN("5"));
        assertThat(get("shardId-000000000003")).doesNotContainKey("leaseOwner");
        assertThat(get("me")).isEmpty();
        assertThat(get("other")).isNotEmpty();
    }

    @Test
    void refusesATableThatIsNotALeaseTableNamingTheSetting() {
        dynamo.createTable(request -> request.tableName(name).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(attribute -> attribute.attributeName("messageId")
                        .attributeType(ScalarAttributeType.S))
                .keySchema(key -> key.attributeName("messageId").keyType(KeyType.HASH)));
        dynamo.waiter().waitUntilTableExists(request -> request.tableName(name));

        assertThatThrownBy(table::requireLeaseTable).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(name).hasMessageContaining("[messageId]")
                .hasMessageContaining("kinesis.consumer.lease-table");
        assertThatThrownBy(table::createIfMissing).isInstanceOf(IllegalStateException.class);
    }

    private static Map<String, AttributeValue> lease(String shard, String owner, String checkpointOwner,
            int counter) {
        Map<String, AttributeValue> lease = new HashMap<>(Map.of("leaseKey", AttributeValue.fromS(shard),
                "entityType", AttributeValue.fromS("LEASE"), "checkpoint", AttributeValue.fromS("TRIM_HORIZON"),
                "leaseCounter", AttributeValue.fromN(String.valueOf(counter))));
        if (owner != null) {
            lease.put("leaseOwner", AttributeValue.fromS(owner));
        }
        if (checkpointOwner != null) {
            lease.put("checkpointOwner", AttributeValue.fromS(checkpointOwner));
        }
        return lease;
    }

    private void put(Map<String, AttributeValue> item) {
        dynamo.putItem(request -> request.tableName(name).item(item));
    }

    private Map<String, AttributeValue> get(String leaseKey) {
        return dynamo.getItem(request -> request.tableName(name).consistentRead(true)
                .key(Map.of("leaseKey", AttributeValue.fromS(leaseKey)))).item();
    }
}
