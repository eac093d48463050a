package org.reactivetracking.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.reactivetracking.model.AggregatedRecords;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.ProgramUpdate;
import org.reactivetracking.model.ProgramUpdateCodec;
import org.reactivetracking.model.TrackingEvent;
import org.reactivetracking.model.TrackingEventCodec;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.kinesis.model.KinesisException;

/**
 * What a misbehaving producer can put on the event stream, between valid records: every valid event is stored,
 * every hostile record is a dead letter with its reason, the shard never stalls, and write cycles stay bounded.
 */
class HostileEventRecordsTests extends EngineBackedTests {

    private static final int MAX_KINESIS_RECORD = 1024 * 1024;

    @Autowired
    MeterRegistry meters;

    @Test
    void storesEveryValidEventAndDeadLettersEveryHostileRecordWithItsReason() throws Exception {
        TrackingEvent first = event("hostile-valid");
        byte[] valid = TrackingEventCodec.encode(event("x"));
        Map<String, String> expectedReasons = new LinkedHashMap<>();
        Map<String, byte[]> hostile = corpus(valid);
        List<TrackingEvent> validBetween = new ArrayList<>();

        put(TrackingEventCodec.encode(first));
        Map<String, String> sequenceOf = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> entry : hostile.entrySet()) {
            sequenceOf.put(entry.getKey(), put(entry.getValue()));
            TrackingEvent between = event("hostile-valid");
            validBetween.add(between);
            put(TrackingEventCodec.encode(between));
        }
        TrackingEvent marker = event("hostile-valid");
        put(TrackingEventCodec.encode(marker));

        awaitItem(marker.messageId());
        assertThat(item(first.messageId())).isNotNull();
        assertThat(validBetween).allSatisfy(event -> assertThat(item(event.messageId())).as(event.messageId())
                .isNotNull());
        expectedReasons.put("garbage", "not a protobuf TrackingEvent");
        expectedReasons.put("empty", "without message_id");
        expectedReasons.put("truncated protobuf", "not a protobuf TrackingEvent");
        expectedReasons.put("program update JSON", "not a protobuf TrackingEvent");
        expectedReasons.put("protobuf of another message", "without");
        expectedReasons.put("program id past 64 characters", "invalid programid");
        expectedReasons.put("program id with ':'", "invalid programid");
        expectedReasons.put("non-ASCII program id", "invalid programid");
        expectedReasons.put("message id past 2048 bytes", "key attribute messageId of 2049 bytes");
        expectedReasons.put("item past 400 KB", "DynamoDB takes items of at most 409600 bytes");
        expectedReasons.put("1 MiB of garbage", "not a protobuf TrackingEvent");
        expectedReasons.put("past 1 MiB of garbage", "not a protobuf TrackingEvent");
        expectedReasons.put("aggregated, wrong MD5", "MD5");
        expectedReasons.put("aggregated, garbage protobuf with a right MD5", "not a protobuf AggregatedRecord");
        expectedReasons.put("magic bytes only", "not a protobuf TrackingEvent");
        assertThat(expectedReasons.keySet()).containsExactlyInAnyOrderElementsOf(hostile.keySet());
        for (Map.Entry<String, String> expected : expectedReasons.entrySet()) {
            DeadLetterItem deadLetter = awaitDeadLetter(sequenceOf.get(expected.getKey()), null);
            byte[] data = hostile.get(expected.getKey());
            assertThat(deadLetter.getError()).as(expected.getKey()).contains(expected.getValue());
            assertThat(deadLetter.getDataLength()).as(expected.getKey()).isEqualTo(data.length);
            assertThat(deadLetter.getDataSha256()).as(expected.getKey()).isEqualTo(sha256(data));
            assertThat(deadLetter.getExpiresAt()).as("time to live").isGreaterThan(Instant.now().getEpochSecond());
        }
        DeadLetterItem huge = awaitDeadLetter(sequenceOf.get("1 MiB of garbage"), null);
        assertThat(huge.isDataTruncated()).isTrue();
        assertThat(huge.getData().asByteArray()).isEqualTo(Arrays.copyOf(hostile.get("1 MiB of garbage"),
                DeadLetterItem.MAX_DATA_BYTES));
        DeadLetterItem small = awaitDeadLetter(sequenceOf.get("garbage"), null);
        assertThat(small.isDataTruncated()).isFalse();
        assertThat(small.getData().asByteArray()).isEqualTo(hostile.get("garbage"));
    }

    @Test
    void storesEventsAtDynamoDbsLimits() {
        TrackingEvent keyAtLimit = new TrackingEvent("k".repeat(2048), program(),
                "ua", Instant.now(), "");
        TrackingEvent unicode = new TrackingEvent("ü-" + UUID.randomUUID() + "-\uD83D\uDE80", program(),
                "Mozilla/5.0 (\u30c6\u30b9\u30c8) \uD83D\uDE80", Instant.now(), "");
        TrackingEvent before = event("hostile-limit");
        int sequenceLength = put(TrackingEventCodec.encode(before)).length();
        TrackingEvent itemAtLimit = padToItemSize(event("hostile-limit"), ItemLimits.MAX_ITEM_BYTES, sequenceLength);
        TrackingEvent marker = event("hostile-limit");

        put(TrackingEventCodec.encode(keyAtLimit));
        put(TrackingEventCodec.encode(unicode));
        put(TrackingEventCodec.encode(itemAtLimit));
        put(TrackingEventCodec.encode(marker));

        awaitItem(marker.messageId());
        assertThat(item(keyAtLimit.messageId())).as("partition key of 2048 bytes").isNotNull();
        assertThat(item(unicode.messageId()).getUserAgent()).isEqualTo(unicode.userAgent());
        assertThat(item(itemAtLimit.messageId())).as("item of exactly 400 KB").isNotNull();
    }

    @Test
    void theEngineRefusesDataPastOneMebibyte() {
        assertThatThrownBy(() -> put(new byte[MAX_KINESIS_RECORD + 1])).isInstanceOf(KinesisException.class)
                .hasMessageContaining("exceeds the stream's max record size");
    }

    @Test
    void writesAHugeAggregatedRecordInBoundedCyclesCheckpointingAtRecordBoundaries() {
        double checkpointsBefore = meters.counter("eventstore.checkpoints.inside.batch").count();
        List<TrackingEvent> packed = new ArrayList<>();
        List<byte[]> records = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            AggregatedRecords.Packer packer = new AggregatedRecords.Packer("k");
            while (packer.size() < 100_000) {
                TrackingEvent event = event("hostile-huge");
                packed.add(event);
                packer.add(TrackingEventCodec.encode(event));
            }
            records.add(packer.toBytes());
        }
        // 2,000 entries that are not events: one dead letter each, in bounded cycles too
        AggregatedRecords.Packer poison = new AggregatedRecords.Packer("k");
        IntStream.range(0, 2_000).forEach(i -> poison.add(new byte[] { (byte) 0xff, (byte) i }));
        TrackingEvent marker = event("hostile-huge-marker");

        records.forEach(HostileEventRecordsTests::put);
        String poisonSequence = put(poison.toBytes());
        put(TrackingEventCodec.encode(marker));

        awaitItem(marker.messageId());
        List<String> ids = packed.stream().map(TrackingEvent::messageId).toList();
        assertThat(stored(ids)).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(eventsOfProgram("hostile-huge")).as("nothing else stored for the program").isSubsetOf(ids);
        assertThat(awaitDeadLetter(poisonSequence, 0).getError()).contains("not a protobuf TrackingEvent");
        assertThat(awaitDeadLetter(poisonSequence, 1_999).getData().asByteArray())
                .isEqualTo(new byte[] { (byte) 0xff, (byte) 1_999 });
        assertThat(meters.get("eventstore.cycle.size").summary().max()).isLessThanOrEqualTo(MAX_EVENTS_PER_CYCLE);
        assertThat(meters.counter("eventstore.checkpoints.inside.batch").count()).isGreaterThan(checkpointsBefore);
    }

    /** Hostile records, by name. */
    private static Map<String, byte[]> corpus(byte[] valid) throws Exception {
        Map<String, byte[]> corpus = new LinkedHashMap<>();
        corpus.put("garbage", new byte[] { (byte) 0xff, 0x13, 0x37, 0x00 });
        corpus.put("empty", new byte[0]);
        corpus.put("truncated protobuf", Arrays.copyOf(valid, valid.length / 2));
        corpus.put("program update JSON", ProgramUpdateCodec.encode(ProgramUpdate.upsert(program(), 1, "")));
        corpus.put("protobuf of another message", org.reactivetracking.model.wire.AggregatedRecord.newBuilder()
                .addPartitionKeyTable("k").build().toByteArray());
        corpus.put("program id past 64 characters", TrackingEventCodec.encode(new TrackingEvent("m-" + UUID.randomUUID(),
                new Program("p".repeat(65), "n", "c", 1, "c", true), "ua", Instant.now(), "")));
        corpus.put("program id with ':'", TrackingEventCodec.encode(new TrackingEvent("m-" + UUID.randomUUID(),
                new Program("212313:deleted", "n", "c", 1, "c", true), "ua", Instant.now(), "")));
        corpus.put("non-ASCII program id", TrackingEventCodec.encode(new TrackingEvent("m-" + UUID.randomUUID(),
                new Program("caf\u00e9", "n", "c", 1, "c", true), "ua", Instant.now(), "")));
        corpus.put("message id past 2048 bytes", TrackingEventCodec.encode(new TrackingEvent("k".repeat(2049),
                program(), "ua", Instant.now(), "")));
        // sized for a one-digit sequence number: the real one only makes it larger
        corpus.put("item past 400 KB", TrackingEventCodec.encode(
                padToItemSize(event("hostile-valid"), ItemLimits.MAX_ITEM_BYTES + 1, 1)));
        byte[] huge = new byte[MAX_KINESIS_RECORD - 1]; // with the partition key "k": exactly 1 MiB
        Arrays.fill(huge, (byte) 0xff);
        corpus.put("1 MiB of garbage", huge);
        // data and key past 1 MiB: Kinesis refuses it, the local engine (which counts the data only) takes it, and the
        // consumer copes with it too
        corpus.put("past 1 MiB of garbage", Arrays.copyOf(huge, MAX_KINESIS_RECORD));
        byte[] wrongDigest = new AggregatedRecords.Packer("k").add(valid).add(valid).toBytes();
        wrongDigest[wrongDigest.length - 1] ^= 0x01;
        corpus.put("aggregated, wrong MD5", wrongDigest);
        corpus.put("aggregated, garbage protobuf with a right MD5", aggregatedFraming(new byte[] { 0x1a, 0x7f, 0x01 }));
        corpus.put("magic bytes only", new byte[] { (byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2 });
        return corpus;
    }

    /** Magic bytes, the given bytes as the protobuf, and their MD5: a well-framed aggregated record. */
    private static byte[] aggregatedFraming(byte[] protobuf) throws Exception {
        byte[] digest = MessageDigest.getInstance("MD5").digest(protobuf);
        byte[] out = new byte[4 + protobuf.length + digest.length];
        System.arraycopy(new byte[] { (byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2 }, 0, out, 0, 4);
        System.arraycopy(protobuf, 0, out, 4, protobuf.length);
        System.arraycopy(digest, 0, out, 4 + protobuf.length, digest.length);
        return out;
    }

    /** The event with its user agent padded so that its stored item is exactly {@code bytes} by DynamoDB's rules. */
    private static TrackingEvent padToItemSize(TrackingEvent event, int bytes, int sequenceLength) {
        EventItem item = EventItem.of(event, System.currentTimeMillis(), SHARD, "4".repeat(sequenceLength), null,
                EVENT_RETENTION);
        long size = ItemLimits.size(EventItem.SCHEMA.itemToMap(item, true));
        String padding = "p".repeat((int) (bytes - size + event.userAgent().length()));
        return new TrackingEvent(event.messageId(), event.program(), padding, event.receivedAt(),
                event.traceHeader());
    }

    private static Program program() {
        return new Program("hostile-valid", "n", "c", 1, "c", true);
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
