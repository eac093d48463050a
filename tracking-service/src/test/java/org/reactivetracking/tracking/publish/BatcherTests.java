package org.reactivetracking.tracking.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reactivetracking.tracking.publish.Fixtures.LINGER;
import static org.reactivetracking.tracking.publish.Fixtures.MIN_CALL;
import static org.reactivetracking.tracking.publish.Fixtures.TIMEOUT;
import static org.reactivetracking.tracking.publish.Fixtures.pending;
import static org.reactivetracking.tracking.publish.Fixtures.unpack;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/** Cutting and packing calls: given the queue and the time, which calls go out. */
class BatcherTests {

    private static final long T0 = 1_000_000_000L;
    private static final int MIB = 1024 * 1024;

    private final Batcher plain = new Batcher(500, 5L * MIB, false, 50 * 1024, LINGER.toNanos());

    @Test
    void holdsRecordsUntilTheOldestHasLingeredThenCutsThemIntoOneCall() {
        IntStream.range(0, 200).forEach(i -> plain.add(pending("k" + i, "r" + i, T0 + i)));

        assertThat(plain.cut(T0 + LINGER.toNanos() - 1, 8, false).batches()).isEmpty();
        assertThat(plain.nextDue(T0)).isEqualTo(T0 + LINGER.toNanos());

        List<Batch> batches = plain.cut(T0 + LINGER.toNanos(), 8, false).batches();
        assertThat(batches).hasSize(1);
        assertThat(keys(batches.get(0))).containsExactlyElementsOf(IntStream.range(0, 200).mapToObj(i -> "k" + i)
                .toList());
    }

    @Test
    void cutsFullCallsAtOnceAndLeavesTheRestToLinger() {
        IntStream.range(0, 1200).forEach(i -> plain.add(pending("k" + i, "r", T0)));

        List<Batch> full = plain.cut(T0, 8, false).batches();
        List<Batch> rest = plain.cut(T0 + LINGER.toNanos(), 8, false).batches();

        assertThat(full).extracting(batch -> batch.carriers().size()).containsExactly(500, 500);
        assertThat(rest).extracting(batch -> batch.carriers().size()).containsExactly(200);
    }

    @Test
    void cutsNoMoreCallsThanThereAreSlots() {
        IntStream.range(0, 1200).forEach(i -> plain.add(pending("k" + i, "r", T0)));

        assertThat(plain.cut(T0 + LINGER.toNanos(), 1, false).batches()).hasSize(1);
        assertThat(plain.cut(T0 + LINGER.toNanos(), 0, false).batches()).isEmpty();
        assertThat(plain.cut(T0 + LINGER.toNanos(), 8, false).batches()).hasSize(2);
    }

    @Test
    void boundsACallByBytes() {
        byte[] data = new byte[300 * 1024];
        IntStream.range(0, 40).forEach(i -> plain.add(pending("k" + i, data, T0)));

        List<Batch> batches = plain.cut(T0 + LINGER.toNanos(), 8, false).batches();

        assertThat(batches).allSatisfy(batch -> assertThat(batch.carriers().stream().mapToLong(Carrier::size).sum())
                .isLessThanOrEqualTo(5L * MIB));
        assertThat(batches).extracting(batch -> batch.carriers().size()).containsExactly(17, 17, 6);
    }

    @Test
    void dropsRecordsWithoutTimeForACallInsteadOfSendingThem() {
        plain.add(pending("late", "r", T0));
        plain.add(pending("in-time", "r", T0 + 1));
        long lateSendBy = T0 + TIMEOUT.toNanos() - MIN_CALL.toNanos();
        assertThat(plain.nextDue(T0 + LINGER.toNanos())).isEqualTo(lateSendBy);

        Batcher.Cut cut = plain.cut(lateSendBy, 8, false);

        assertThat(cut.expired()).extracting(pending -> pending.partitionKey).containsExactly("late");
        assertThat(cut.batches()).hasSize(1);
        assertThat(keys(cut.batches().get(0))).containsExactly("in-time");
        assertThat(cut.batches().get(0).deadline()).isEqualTo(T0 + 1 + TIMEOUT.toNanos());
    }

    @Test
    void putsARecordBackAfterItsBackOffAheadOfNewerOnes() {
        Pending retried = pending("retried", "r", T0);
        plain.add(pending("newer", "r", T0 + 10));
        retried.retryAt = T0 + 50;
        plain.backOff(retried);
        assertThat(plain.cut(T0 + 49, 0, false).expired()).isEmpty();
        assertThat(plain.nextDue(T0 + 49)).isEqualTo(T0 + 50);

        List<Batch> batches = plain.cut(T0 + 50, 8, true).batches();

        assertThat(keys(batches.get(0))).containsExactly("retried", "newer");
        assertThat(batches.get(0).deadline()).isEqualTo(retried.deadline);
    }

    @Test
    void packsRecordsIntoAggregatedRecordsOfBoundedSizeWhenAggregating() {
        Batcher aggregating = new Batcher(500, 5L * MIB, true, 4096, LINGER.toNanos());
        List<String> published = IntStream.range(0, 2000).mapToObj(i -> "event-" + i + "-" + "x".repeat(80))
                .toList();
        published.forEach(data -> aggregating.add(pending("key-" + data.hashCode(), data, T0)));

        List<Batch> batches = aggregating.cut(T0 + LINGER.toNanos(), 8, false).batches();

        List<PutRecordsRequestEntry> entries = batches.stream().flatMap(batch -> batch.entries().stream()).toList();
        assertThat(batches).hasSize(1);
        assertThat(entries).allSatisfy(entry -> assertThat(entry.data().asByteArray().length
                + entry.partitionKey().length()).isLessThanOrEqualTo(4096));
        assertThat(entries.stream().flatMap(entry -> unpack(entry).stream()).toList())
                .containsExactlyElementsOf(published);
        // 2000 records of about 100 bytes, about 40 to an aggregated record of 4 KiB
        assertThat(entries).hasSizeBetween(2000 / 45, 2000 / 35);
    }

    @Test
    void sendsAnAggregatedRecordHoldingOneRecordPlain() {
        Batcher aggregating = new Batcher(500, 5L * MIB, true, 4096, LINGER.toNanos());
        aggregating.add(pending("only", "the record", T0));
        aggregating.add(pending("big", "x".repeat(5000), T0));

        List<PutRecordsRequestEntry> entries = aggregating.cut(T0 + LINGER.toNanos(), 8, false).batches().get(0)
                .entries();

        assertThat(entries).extracting(PutRecordsRequestEntry::partitionKey).containsExactly("only", "big");
        assertThat(entries.get(0).data().asUtf8String()).isEqualTo("the record");
        assertThat(entries.get(1).data().asUtf8String()).isEqualTo("x".repeat(5000));
    }

    @Test
    void flushesEverythingWhenStopping() {
        plain.add(pending("a", "r", T0));

        assertThat(plain.cut(T0, 8, true).batches()).hasSize(1);
        assertThat(plain.nextDue(T0)).isEqualTo(Long.MAX_VALUE);
    }

    private static List<String> keys(Batch batch) {
        return batch.entries().stream().map(PutRecordsRequestEntry::partitionKey).toList();
    }
}
