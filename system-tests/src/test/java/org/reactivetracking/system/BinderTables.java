package org.reactivetracking.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * The Kinesis binder's DynamoDB tables for one consumer group on one stream, as an operator reads them: the shard
 * checkpoints ({@code metadataKey} = {@code <group>:<stream>:<shardId>}, {@code metadataValue} = sequence number)
 * and the shard locks ({@code lockKey} of the same form, {@code lockOwner}, {@code expireAt} in epoch seconds).
 */
final class BinderTables {

    private static final Pattern OWNER = Pattern.compile("\"owner\":\"([^\"]+)\"");

    private final DynamoDbClient dynamo;
    private final String checkpointTable;
    private final String lockTable;
    private final String keyPrefix;

    BinderTables(DynamoDbClient dynamo, String checkpointTable, String lockTable, String group, String stream) {
        this.dynamo = dynamo;
        this.checkpointTable = checkpointTable;
        this.lockTable = lockTable;
        this.keyPrefix = group + ":" + stream + ":";
    }

    /** Checkpointed sequence number by shard id. */
    Map<String, String> checkpoints() {
        Map<String, String> checkpoints = new TreeMap<>();
        scan(checkpointTable, "metadataKey", (shard, item) -> checkpoints.put(shard, item.get("metadataValue").s()));
        return checkpoints;
    }

    /**
     * The holder of each shard's unexpired lock, by shard id: its name in {@code names} (owner id to instance name),
     * else its owner id.
     */
    Map<String, String> holders(Map<String, String> names) {
        long now = Instant.now().getEpochSecond();
        Map<String, String> holders = new TreeMap<>();
        scan(lockTable, "lockKey", (shard, item) -> {
            if (Long.parseLong(item.get("expireAt").n()) >= now) {
                String owner = item.get("lockOwner").s();
                holders.put(shard, names.getOrDefault(owner, owner));
            }
        });
        return holders;
    }

    /**
     * The owner id {@code instance} holds its shard locks as, from its {@code /actuator/info}
     * ({@code shardLocks.owner}).
     */
    static String ownerOf(ServiceProcess instance) {
        try {
            Matcher owner = OWNER.matcher(instance.get("/actuator/info"));
            if (!owner.find()) {
                throw new IllegalStateException("no shardLocks.owner on /actuator/info");
            }
            return owner.group(1);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private void scan(String table, String keyAttribute, BiConsumer<String, Map<String, AttributeValue>> perShard) {
        try {
            dynamo.scanPaginator(request -> request.tableName(table).consistentRead(true)).items().forEach(item -> {
                String key = item.get(keyAttribute).s();
                if (key.startsWith(keyPrefix)) {
                    perShard.accept(key.substring(keyPrefix.length()), item);
                }
            });
        }
        catch (ResourceNotFoundException notYetCreated) {
            // the binder creates its tables at start
        }
    }
}
