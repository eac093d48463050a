package org.reactivetracking.engines;

import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Counts the records on a stream of a local Kinesis engine, for the benchmark: {@code StreamCount <endpoint>
 * <stream>} prints {@code records=N bytes=B}.
 */
public final class StreamCount {

    private StreamCount() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: StreamCount <kinesis endpoint> <stream>");
        }
        String stream = args[1];
        try (KinesisClient kinesis = KinesisClient.builder().endpointOverride(URI.create(args[0]))
                .region(Region.of(LocalEngines.REGION)).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalEngines.ACCESS_KEY, LocalEngines.SECRET_KEY)))
                .build()) {
            long records = 0;
            long bytes = 0;
            Set<String> sequenceNumbers = new HashSet<>();
            for (Shard shard : kinesis.listShards(request -> request.streamName(stream)).shards()) {
                String iterator = kinesis.getShardIterator(request -> request.streamName(stream)
                        .shardId(shard.shardId()).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                while (iterator != null) {
                    String current = iterator;
                    GetRecordsResponse page = kinesis.getRecords(request -> request.shardIterator(current)
                            .limit(10_000));
                    for (var record : page.records()) {
                        if (sequenceNumbers.add(shard.shardId() + record.sequenceNumber())) {
                            records++;
                            bytes += record.data().asByteArray().length;
                        }
                    }
                    boolean caughtUp = page.records().isEmpty()
                            && (page.millisBehindLatest() == null || page.millisBehindLatest() == 0);
                    iterator = caughtUp ? null : page.nextShardIterator();
                }
            }
            System.out.println("records=" + records + " bytes=" + bytes);
        }
    }
}
