package org.reactivetracking.system;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.reactivetracking.model.AggregatedRecords;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** A stream's shards as Kinesis lists them, each read to its last record; and resharding it. */
final class StreamShards {

    private StreamShards() {
    }

    /**
     * One shard and what it holds.
     *
     * @param endingSequenceNumber null while the shard is open
     * @param events               the events its records hold (an aggregated record holds many)
     */
    record Shard(String id, String parentId, String endingSequenceNumber, String startingHashKey,
            List<String> sequenceNumbers, int events) {

        boolean closed() {
            return endingSequenceNumber != null;
        }

        String lastSequenceNumber() {
            return sequenceNumbers.isEmpty() ? null : sequenceNumbers.get(sequenceNumbers.size() - 1);
        }

        /**
         * Where the KCL's checkpoint of this shard stands once the shard is read to its end: {@code SHARD_END} for a
         * closed shard, the last record's sequence number for an open one.
         */
        String checkpointAtEnd() {
            return closed() ? "SHARD_END" : lastSequenceNumber();
        }
    }

    /** Every shard of the stream, open and closed, by id; call it once nothing is written any more. */
    static Map<String, Shard> read(KinesisClient kinesis, String stream) {
        List<Shard> shards = new ArrayList<>();
        for (var shard : kinesis.listShards(request -> request.streamName(stream)).shards()) {
            List<String> sequenceNumbers = new ArrayList<>();
            int events = 0;
            String iterator = kinesis.getShardIterator(request -> request.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse page = kinesis.getRecords(request -> request.shardIterator(current).limit(10_000));
                for (Record record : page.records()) {
                    sequenceNumbers.add(record.sequenceNumber());
                    byte[] data = record.data().asByteArray();
                    events += AggregatedRecords.isAggregated(data) ? AggregatedRecords.unpack(data).size() : 1;
                }
                boolean caughtUp = page.records().isEmpty()
                        && (page.millisBehindLatest() == null || page.millisBehindLatest() == 0);
                iterator = caughtUp ? null : page.nextShardIterator();
            }
            shards.add(new Shard(shard.shardId(), shard.parentShardId(),
                    shard.sequenceNumberRange().endingSequenceNumber(), shard.hashKeyRange().startingHashKey(),
                    List.copyOf(sequenceNumbers), events));
        }
        return shards.stream().collect(Collectors.toMap(Shard::id, Function.identity()));
    }

    /** The open shards' ids. */
    static List<String> open(KinesisClient kinesis, String stream) {
        return kinesis.listShards(request -> request.streamName(stream)).shards().stream()
                .filter(shard -> shard.sequenceNumberRange().endingSequenceNumber() == null)
                .map(shard -> shard.shardId()).toList();
    }

    /**
     * Reshards as Kinesis does for an on-demand stream that grows: every open shard is closed and split in two
     * children (UNIFORM_SCALING); returns once the stream is active with {@code target} open shards.
     */
    static void reshard(KinesisClient kinesis, String stream, int target) {
        kinesis.updateShardCount(request -> request.streamName(stream).targetShardCount(target)
                .scalingType(ScalingType.UNIFORM_SCALING));
        await("stream " + stream + " active with " + target + " open shards")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> kinesis.describeStreamSummary(request -> request.streamName(stream))
                        .streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE
                        && open(kinesis, stream).size() == target);
    }
}
