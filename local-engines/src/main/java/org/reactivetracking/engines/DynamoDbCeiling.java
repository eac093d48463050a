package org.reactivetracking.engines;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * How many items a second the DynamoDB engine stores from a client that does nothing else ({@code DrainBench
 * ceiling}): the bound on any consumer writing to it on this machine.
 */
final class DynamoDbCeiling {

    private DynamoDbCeiling() {
    }

    static void run(DynamoDbClient dynamo, String engine, String table, int seconds, int threads) {
        dynamo.createTable(request -> request.tableName(table)
                .keySchema(key -> key.attributeName("messageId").keyType(KeyType.HASH))
                .attributeDefinitions(
                        attribute -> attribute.attributeName("messageId").attributeType(ScalarAttributeType.S),
                        attribute -> attribute.attributeName("programId").attributeType(ScalarAttributeType.S),
                        attribute -> attribute.attributeName("receivedAt").attributeType(ScalarAttributeType.N))
                .globalSecondaryIndexes(index -> index.indexName("programId-receivedAt-index")
                        .keySchema(key -> key.attributeName("programId").keyType(KeyType.HASH),
                                key -> key.attributeName("receivedAt").keyType(KeyType.RANGE))
                        .projection(projection -> projection.projectionType(ProjectionType.ALL)))
                .billingMode("PAY_PER_REQUEST"));
        // a new table is CREATING for a while, as on AWS: writes before it is ACTIVE are refused
        dynamo.waiter().waitUntilTableExists(request -> request.tableName(table));
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicLong stored = new AtomicLong();
        boolean finished = BenchTool.repeatUntil(deadline, threads, () -> {
            List<WriteRequest> puts = IntStream.range(0, 25).mapToObj(n -> WriteRequest.builder()
                    .putRequest(PutRequest.builder().item(item()).build()).build()).toList();
            var response = dynamo.batchWriteItem(request -> request.requestItems(Map.of(table, puts)));
            int unprocessed = response.unprocessedItems().getOrDefault(table, List.of()).size();
            stored.addAndGet(puts.size() - unprocessed);
        });
        if (!finished) {
            return;
        }
        System.out.printf("engine=%s items_per_s=%.0f threads=%d%n", engine, stored.get() / (double) seconds,
                threads);
    }

    /** An item of the size and shape of a stored event. */
    private static Map<String, AttributeValue> item() {
        long now = System.currentTimeMillis();
        return Map.ofEntries(Map.entry("messageId", AttributeValue.fromS(UUID.randomUUID().toString())),
                Map.entry("programId", AttributeValue.fromS("212313")),
                Map.entry("programName", AttributeValue.fromS("Summer sale video")),
                Map.entry("checksum", AttributeValue.fromS("9b04de")),
                Map.entry("customerId", AttributeValue.fromN("1001")),
                Map.entry("customerName", AttributeValue.fromS("Anycompany Outdoor")),
                Map.entry("valid", AttributeValue.fromBool(true)),
                Map.entry("userAgent", AttributeValue.fromS("wrk/4.2.0")),
                Map.entry("receivedAt", AttributeValue.fromN(Long.toString(now))),
                Map.entry("traceHeader", AttributeValue.fromS("Root=1-6741f0c2-8f1b2c3d4e5f60718293a4b5;Parent=53995c3f42cd8ad8;Sampled=0")),
                Map.entry("shardId", AttributeValue.fromS("shardId-000000000000")),
                Map.entry("sequenceNumber", AttributeValue.fromS("49657811418472000000000000000000000000000000000000000002")),
                Map.entry("storedAt", AttributeValue.fromN(Long.toString(now))));
    }
}
