package org.reactivetracking.engines;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.LongStream;
import org.reactivetracking.model.AggregatedRecords;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.TrackingEvent;
import org.reactivetracking.model.TrackingEventCodec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * The consumer-scaling benchmark's measurements on the local engines ({@code bench/consumer-scaling.sh}):
 * <ul>
 * <li>{@code DrainBench fill <kinesis endpoint> <stream> <events> <events per record>}: puts that many events on the
 * stream before any consumer runs, one event per record or packed into aggregated records, each under its own
 * random partition key (spread over every shard); prints {@code events=N records=R};</li>
 * <li>{@code DrainBench drain <dynamodb endpoint> <table>}: once the consumers are done, prints {@code items=N
 * span_ms=S events_per_s=E first_stored=T}, the span running from the first item's {@code storedAt} (T, epoch
 * milliseconds) to the last's;</li>
 * <li>{@code DrainBench leases <dynamodb endpoint> <lease table> [seconds]}: the shards each KCL worker holds, as
 * {@code <worker>=<shards>} pairs: now, or for that many seconds a line {@code t=<epoch ms> ...} whenever the split
 * changes;</li>
 * <li>{@code DrainBench ceiling <dynamodb endpoint> <table> <seconds> <threads> <engine>}: the DynamoDB engine's own
 * ceiling, without the consumer: a fresh table shaped like the events table (its index too), filled by that many
 * threads sending {@code BatchWriteItem} requests of 25 event-like items from the plain SDK client; prints
 * {@code engine=<engine> items_per_s=..}, the engine named as the caller started it (e.g. {@code dynalite-4.0.0}).</li>
 * </ul>
 */
public final class DrainBench {

    private DrainBench() {
    }

    public static void main(String[] args) throws InterruptedException {
        String usage = "usage: DrainBench fill <endpoint> <stream> <events> <events per record>"
                + " | drain <endpoint> <table> | leases <endpoint> <lease table> [seconds]"
                + " | ceiling <endpoint> <table> <seconds> <threads> <engine>";
        if (args.length < 3) {
            throw new IllegalArgumentException(usage);
        }
        URI endpoint = URI.create(args[1]);
        switch (args[0]) {
            case "fill" -> {
                try (KinesisClient kinesis = KinesisClient.builder().endpointOverride(endpoint)
                        .region(Region.of(LocalEngines.REGION)).credentialsProvider(LocalEngines.credentials())
                        .build()) {
                    fill(kinesis, args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
                }
            }
            case "drain" -> {
                try (DynamoDbClient dynamo = dynamo(endpoint)) {
                    drain(dynamo, args[2]);
                }
            }
            case "leases" -> {
                try (DynamoDbClient dynamo = dynamo(endpoint)) {
                    leases(dynamo, args[2], args.length > 3 ? Integer.parseInt(args[3]) : 0);
                }
            }
            case "ceiling" -> {
                try (DynamoDbClient dynamo = dynamo(endpoint)) {
                    DynamoDbCeiling.run(dynamo, args[5], args[2], Integer.parseInt(args[3]),
                            Integer.parseInt(args[4]));
                }
            }
            default -> throw new IllegalArgumentException(usage);
        }
    }

    private static DynamoDbClient dynamo(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.of(LocalEngines.REGION))
                .credentialsProvider(LocalEngines.credentials()).build();
    }

    private static void fill(KinesisClient kinesis, String stream, int events, int eventsPerRecord) {
        List<PutRecordsRequestEntry> call = new ArrayList<>();
        int records = 0;
        for (int put = 0; put < events; put += eventsPerRecord) {
            int inRecord = Math.min(eventsPerRecord, events - put);
            String partitionKey = UUID.randomUUID().toString();
            byte[] data;
            if (inRecord == 1) {
                data = event(partitionKey);
            }
            else {
                AggregatedRecords.Packer packer = new AggregatedRecords.Packer(partitionKey);
                for (int i = 0; i < inRecord; i++) {
                    packer.add(event(i == 0 ? partitionKey : UUID.randomUUID().toString()));
                }
                data = packer.toBytes();
            }
            call.add(PutRecordsRequestEntry.builder().partitionKey(partitionKey).data(SdkBytes.fromByteArray(data))
                    .build());
            records++;
            if (call.size() == 500 || put + inRecord >= events) {
                List<PutRecordsRequestEntry> entries = List.copyOf(call);
                int failed = kinesis.putRecords(request -> request.streamName(stream).records(entries))
                        .failedRecordCount();
                if (failed > 0) {
                    throw new IllegalStateException(failed + " records refused while filling " + stream);
                }
                call.clear();
            }
        }
        System.out.println("events=" + events + " records=" + records);
    }

    private static byte[] event(String messageId) {
        return TrackingEventCodec.encode(new TrackingEvent(messageId,
                new Program("212313", "Summer sale video", "9b04de", 1001, "Anycompany Outdoor", true), "drain-bench",
                Instant.now(), ""));
    }

    private static void drain(DynamoDbClient dynamo, String table) {
        LongStream.Builder stored = LongStream.builder();
        dynamo.scanPaginator(request -> request.tableName(table).projectionExpression("storedAt")).items()
                .forEach(item -> stored.add(Long.parseLong(item.get("storedAt").n())));
        long[] times = stored.build().sorted().toArray();
        long span = times.length < 2 ? 0 : times[times.length - 1] - times[0];
        System.out.printf("items=%d span_ms=%d events_per_s=%.0f first_stored=%d%n", times.length, span,
                span == 0 ? 0.0 : times.length * 1000.0 / span, times.length == 0 ? 0 : times[0]);
    }

    /**
     * The KCL's lease table: how many shards each worker holds. Once, or for {@code seconds}, a line each time the
     * split changes, stamped with the time it was seen (epoch milliseconds, read every 100 ms).
     */
    private static void leases(DynamoDbClient dynamo, String table, int seconds) throws InterruptedException {
        long until = System.currentTimeMillis() + seconds * 1000L;
        String last = null;
        do {
            Map<String, Integer> shards = new TreeMap<>();
            try {
                dynamo.scanPaginator(request -> request.tableName(table).consistentRead(true)).items().stream()
                        .filter(item -> !item.containsKey("entityType") || item.get("entityType").s().equals("LEASE"))
                        .filter(item -> item.containsKey("leaseOwner"))
                        .forEach(item -> shards.merge(item.get("leaseOwner").s(), 1, Integer::sum));
            }
            catch (ResourceNotFoundException notYet) {
                // the first consumer creates the table
            }
            StringBuilder line = new StringBuilder();
            shards.forEach((owner, held) -> line.append(line.isEmpty() ? "" : " ").append(owner).append('=')
                    .append(held));
            String split = line.isEmpty() ? "none" : line.toString();
            if (!split.equals(last)) {
                System.out.println((seconds > 0 ? "t=" + System.currentTimeMillis() + " " : "") + split);
                last = split;
            }
            if (seconds > 0) {
                Thread.sleep(100);
            }
        }
        while (System.currentTimeMillis() < until);
    }
}
