package org.reactivetracking.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * A consumer application's KCL lease table, as an operator reads it: one item per shard ({@code entityType} LEASE,
 * {@code leaseKey} = the shard id, {@code leaseOwner} = the worker reading it, {@code checkpoint} = the sequence number
 * read up to, {@code SHARD_END} once a closed shard is read to its end), beside the leader's lock and the workers'
 * metrics.
 */
final class KclLeases {

    private static final Pattern WORKER_ID = Pattern.compile("\"workerId\":\"([^\"]+)\"");

    private final DynamoDbClient dynamo;
    private final String table;

    KclLeases(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * The checkpoint of each of {@code shards}, by shard id: {@code SHARD_END} for a closed shard whose lease the KCL
     * has deleted (it does, some minutes after the shard's children were read from it); no entry for a shard without
     * a lease.
     */
    Map<String, String> checkpointsOf(Collection<StreamShards.Shard> shards) {
        Map<String, String> checkpoints = checkpoints();
        shards.stream().filter(StreamShards.Shard::closed).filter(shard -> !checkpoints.containsKey(shard.id()))
                .filter(shard -> shards.stream().anyMatch(child -> shard.id().equals(child.parentId())
                        && checkpoints.containsKey(child.id())))
                .forEach(shard -> checkpoints.put(shard.id(), "SHARD_END"));
        return checkpoints;
    }

    /** The checkpoint of every shard that has a lease, by shard id. */
    Map<String, String> checkpoints() {
        Map<String, String> checkpoints = new TreeMap<>();
        leases().forEach((shard, lease) -> checkpoints.put(shard, lease.get("checkpoint").s()));
        return checkpoints;
    }

    /**
     * The owner of each shard's lease, by shard id: its name in {@code names} (worker id to instance name), else its
     * worker id; shards without an owner are left out.
     */
    Map<String, String> holders(Map<String, String> names) {
        Map<String, String> holders = new TreeMap<>();
        leases().forEach((shard, lease) -> {
            if (lease.containsKey("leaseOwner")) {
                String owner = lease.get("leaseOwner").s();
                holders.put(shard, names.getOrDefault(owner, owner));
            }
        });
        return holders;
    }

    /** Every lease item, by shard id. */
    Map<String, Map<String, AttributeValue>> leases() {
        Map<String, Map<String, AttributeValue>> leases = new TreeMap<>();
        try {
            dynamo.scanPaginator(request -> request.tableName(table).consistentRead(true)).items().forEach(item -> {
                AttributeValue type = item.get("entityType");
                if (type == null || type.s().equals("LEASE")) {
                    leases.put(item.get("leaseKey").s(), item);
                }
            });
        }
        catch (ResourceNotFoundException notYetCreated) {
            // created when the first instance starts
        }
        return leases;
    }

    /** The worker id {@code instance} owns its leases as, from its {@code /actuator/info} ({@code kcl.workerId}). */
    static String workerIdOf(ServiceProcess instance) {
        try {
            Matcher id = WORKER_ID.matcher(instance.get("/actuator/info"));
            if (!id.find()) {
                throw new IllegalStateException("no kcl.workerId on /actuator/info");
            }
            return id.group(1);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
