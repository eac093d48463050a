package org.reactivetracking.engines;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.reactivetracking.model.AggregatedRecords;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The benchmark's measurements on the local engines:
 * <ul>
 * <li>{@code BenchTool create-stream <kinesis endpoint> <stream> <shards>}: creates the stream and waits until it is
 * active (every run gets a fresh one: kinesis-mock gets slower as a stream fills up);</li>
 * <li>{@code BenchTool delete-stream <kinesis endpoint> <stream>}: frees what kinesis-mock holds of a run's stream;</li>
 * <li>{@code BenchTool stream <kinesis endpoint> <stream>}: prints {@code records=N events=E bytes=B}, reading the
 * whole stream; aggregated records count as the events they hold;</li>
 * <li>{@code BenchTool table <dynamodb endpoint> <table>}: prints {@code items=N lag_p50_ms=.. lag_p99_ms=..
 * lag_max_ms=..}, the lag being each item's {@code storedAt - receivedAt};</li>
 * <li>{@code BenchTool ceiling <kinesis endpoint> <stream> <seconds> <calls in flight> <records per call>}: the
 * engine's own PutRecords ceiling, without the services: full calls of 200-byte records for that long, printing
 * {@code records_per_s=.. calls_per_s=..}.</li>
 * </ul>
 */
public final class BenchTool {

    private BenchTool() {
    }

    public static void main(String[] args) {
        String usage = "usage: BenchTool create-stream <endpoint> <stream> <shards> | delete-stream <endpoint> <stream>"
                + " | stream <endpoint> <stream>"
                + " | table <endpoint> <table> | ceiling <endpoint> <stream> <seconds> <calls> <records per call>";
        if (args.length < 3) {
            throw new IllegalArgumentException(usage);
        }
        URI endpoint = URI.create(args[1]);
        switch (args[0]) {
            case "create-stream" -> {
                try (KinesisClient kinesis = kinesis(endpoint)) {
                    LocalEngines.ensureStream(kinesis, args[2], Integer.parseInt(args[3]));
                    System.out.println("created " + args[2]);
                }
            }
            case "delete-stream" -> {
                try (KinesisClient kinesis = kinesis(endpoint)) {
                    kinesis.deleteStream(request -> request.streamName(args[2]).enforceConsumerDeletion(true));
                }
            }
            case "stream" -> {
                try (KinesisClient kinesis = kinesis(endpoint)) {
                    streamStats(kinesis, args[2]);
                }
            }
            case "table" -> {
                try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(endpoint)
                        .region(Region.of(LocalEngines.REGION)).credentialsProvider(LocalEngines.credentials()).build()) {
                    tableStats(dynamo, args[2]);
                }
            }
            case "ceiling" -> {
                try (KinesisClient kinesis = kinesis(endpoint)) {
                    ceiling(kinesis, args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                            Integer.parseInt(args[5]));
                }
            }
            default -> throw new IllegalArgumentException(usage);
        }
    }

    private static KinesisClient kinesis(URI endpoint) {
        return KinesisClient.builder().endpointOverride(endpoint).region(Region.of(LocalEngines.REGION))
                .credentialsProvider(LocalEngines.credentials()).build();
    }

    private static void streamStats(KinesisClient kinesis, String stream) {
        long records = 0;
        long events = 0;
        long bytes = 0;
        Set<String> seen = new HashSet<>();
        for (Shard shard : kinesis.listShards(request -> request.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(request -> request.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse page = kinesis.getRecords(request -> request.shardIterator(current).limit(10_000));
                for (var record : page.records()) {
                    if (seen.add(shard.shardId() + "/" + record.sequenceNumber())) {
                        byte[] data = record.data().asByteArray();
                        records++;
                        bytes += data.length;
                        events += AggregatedRecords.isAggregated(data) ? AggregatedRecords.unpack(data).size() : 1;
                    }
                }
                boolean caughtUp = page.records().isEmpty()
                        && (page.millisBehindLatest() == null || page.millisBehindLatest() == 0);
                iterator = caughtUp ? null : page.nextShardIterator();
            }
        }
        System.out.println("records=" + records + " events=" + events + " bytes=" + bytes);
    }

    /**
     * Runs {@code call} again and again on {@code threads} threads until {@code deadline} ({@link System#nanoTime()});
     * false when interrupted while waiting for them.
     */
    static boolean repeatUntil(long deadline, int threads, Runnable call) {
        List<Thread> running = IntStream.range(0, threads).mapToObj(i -> new Thread(() -> {
            while (System.nanoTime() < deadline) {
                call.run();
            }
        })).toList();
        running.forEach(Thread::start);
        for (Thread thread : running) {
            try {
                thread.join();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static void ceiling(KinesisClient kinesis, String stream, int seconds, int calls, int recordsPerCall) {
        List<PutRecordsRequestEntry> entries = IntStream.range(0, recordsPerCall)
                .mapToObj(i -> PutRecordsRequestEntry.builder().partitionKey(UUID.randomUUID().toString())
                        .data(SdkBytes.fromByteArray(new byte[200])).build())
                .toList();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicLong accepted = new AtomicLong();
        AtomicLong made = new AtomicLong();
        boolean finished = repeatUntil(deadline, calls, () -> {
            var response = kinesis.putRecords(request -> request.streamName(stream).records(entries));
            accepted.addAndGet(entries.size() - response.failedRecordCount());
            made.incrementAndGet();
        });
        if (!finished) {
            return;
        }
        System.out.printf("records_per_s=%.0f calls_per_s=%.1f%n", accepted.get() / (double) seconds,
                made.get() / (double) seconds);
    }

    private static void tableStats(DynamoDbClient dynamo, String table) {
        LongStream.Builder lags = LongStream.builder();
        dynamo.scanPaginator(request -> request.tableName(table).projectionExpression("receivedAt, storedAt")).items()
                .forEach(item -> lags.add(number(item, "storedAt") - number(item, "receivedAt")));
        long[] sorted = lags.build().sorted().toArray();
        System.out.println("items=" + sorted.length + " lag_p50_ms=" + percentile(sorted, 50) + " lag_p99_ms="
                + percentile(sorted, 99) + " lag_max_ms=" + (sorted.length == 0 ? 0 : sorted[sorted.length - 1]));
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.getOrDefault(name, AttributeValue.fromN("0"));
        return Long.parseLong(value.n());
    }

    private static long percentile(long[] sorted, int percent) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * percent
                / 100.0) - 1)];
    }
}
