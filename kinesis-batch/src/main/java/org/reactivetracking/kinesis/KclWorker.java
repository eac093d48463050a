package org.reactivetracking.kinesis;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.context.SmartLifecycle;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * This instance as a worker of the Kinesis Client Library: its id in the lease tables of the bindings it reads, shown
 * on {@code /actuator/info} ({@code kcl.workerId}, {@code kcl.leaseTables}) and logged at start, and what it does when
 * the service stops.
 * <p>
 * The KCL (3.x) keeps a stopping worker's leases until they expire ({@code kinesis.consumer.failover}), so its shards
 * would go unread that long after every deployment or scale-in. Once the bindings have stopped (this lifecycle stops
 * after them), it gives its leases up ({@link LeaseTable#release(String)}), and the leader assigns them to the other
 * workers at its next run.
 */
final class KclWorker implements InfoContributor, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KclWorker.class);
    /** After the input bindings' lifecycle ({@code Integer.MAX_VALUE - 3000}): started before, stopped after them. */
    private static final int PHASE = Integer.MAX_VALUE - 4000;

    private final String id;
    private final DynamoDbClient dynamo;
    private final Map<String, LeaseTable> leaseTables = new ConcurrentHashMap<>();
    private volatile boolean running;

    KclWorker(KinesisConsumerProperties properties, DynamoDbClient dynamo) {
        this.id = properties.workerId() == null || properties.workerId().isBlank() ? generatedId()
                : properties.workerId();
        this.dynamo = dynamo;
    }

    String id() {
        return id;
    }

    /** The lease table a binding of this worker uses; the worker gives up its leases in it when it stops. */
    LeaseTable leaseTable(String name) {
        return leaseTables.computeIfAbsent(name, table -> {
            log.info("Reading through the KCL as worker {}, leases in table {}", id, table);
            return new LeaseTable(dynamo, table);
        });
    }

    @Override
    public void contribute(Info.Builder builder) {
        builder.withDetail("kcl", Map.of("workerId", id, "leaseTables", leaseTables.keySet()));
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        leaseTables.values().forEach(table -> {
            try {
                log.info("Gave up {} leases of table {} as worker {}", table.release(id), table.name(), id);
            }
            catch (RuntimeException ex) {
                log.warn("Could not give up the leases of table {} as worker {}; they expire after the failover time",
                        table.name(), id, ex);
            }
        });
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** The host name (an ECS task's own) and a random part: new at every start. */
    private static String generatedId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException ex) {
            host = "unknown-host";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
