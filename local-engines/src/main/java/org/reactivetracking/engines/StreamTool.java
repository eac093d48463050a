package org.reactivetracking.engines;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Stream chores of the benchmark against a local Kinesis engine:
 * {@code StreamTool count <endpoint> <stream>} prints {@code records=N bytes=B};
 * {@code StreamTool reset <endpoint> <stream> <shards>} deletes the stream and creates it empty. kinesis-mock gets
 * slower as a stream fills up, so every benchmark run starts on an empty one.
 */
public final class StreamTool {

    private StreamTool() {
    }

    public static void main(String[] args) {
        if (args.length < 3 || !(args[0].equals("count") || args[0].equals("reset"))) {
            throw new IllegalArgumentException("usage: StreamTool count <endpoint> <stream> | "
                    + "StreamTool reset <endpoint> <stream> <shards>");
        }
        try (KinesisClient kinesis = KinesisClient.builder().endpointOverride(URI.create(args[1]))
                .region(Region.of(LocalEngines.REGION)).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalEngines.ACCESS_KEY, LocalEngines.SECRET_KEY)))
                .build()) {
            if (args[0].equals("count")) {
                count(kinesis, args[2]);
            }
            else {
                reset(kinesis, args[2], Integer.parseInt(args[3]));
            }
        }
    }

    private static void count(KinesisClient kinesis, String stream) {
        long records = 0;
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

    private static void reset(KinesisClient kinesis, String stream, int shards) {
        try {
            kinesis.deleteStream(request -> request.streamName(stream).enforceConsumerDeletion(true));
            Ports.await("stream " + stream + " to be deleted", Duration.ofSeconds(30), () -> {
                try {
                    kinesis.describeStreamSummary(request -> request.streamName(stream));
                    return false;
                }
                catch (ResourceNotFoundException gone) {
                    return true;
                }
            });
        }
        catch (ResourceNotFoundException absent) {
            // nothing to delete
        }
        kinesis.createStream(request -> request.streamName(stream).shardCount(shards));
        Ports.await("stream " + stream + " to become ACTIVE", Duration.ofSeconds(30), () -> kinesis
                .describeStreamSummary(request -> request.streamName(stream)).streamDescriptionSummary()
                .streamStatus() == StreamStatus.ACTIVE);
        System.out.println("reset " + stream + " with " + shards + " shards");
    }
}
