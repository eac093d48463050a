package org.reactivetracking.tracking.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reactivetracking.tracking.publish.Fixtures.BACKOFF;
import static org.reactivetracking.tracking.publish.Fixtures.LINGER;
import static org.reactivetracking.tracking.publish.Fixtures.MAX_BACKOFF;
import static org.reactivetracking.tracking.publish.Fixtures.MIN_CALL;
import static org.reactivetracking.tracking.publish.Fixtures.TIMEOUT;
import static org.reactivetracking.tracking.publish.Fixtures.settings;
import static org.reactivetracking.tracking.publish.Fixtures.unpack;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivetracking.tracking.TrackingProperties;
import org.reactivetracking.tracking.publish.PublishRejectedException.Outcome;
import org.springframework.util.unit.DataSize;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * The publisher as callers see it, against a scripted Kinesis client and a clock and timers moved by hand: nothing
 * happens on another thread, so every outcome follows from the script.
 */
class KinesisBatchPublisherTests {

    private final ScriptedKinesis kinesis = new ScriptedKinesis();
    private final ManualTime time = new ManualTime();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private KinesisBatchPublisher publisher;

    @AfterEach
    void stop() {
        kinesis.acceptAtOnce();
        publisher.stop();
    }

    @Test
    void sendsNothingUntilTheLingerEndsThenOneCallWithEveryRecord() {
        publisher = publisher(settings(500, 8, 1000), TrackingProperties.Aggregation.off());
        List<CompletableFuture<Void>> published = IntStream.range(0, 200).mapToObj(i -> publish("k" + i)).toList();

        time.advance(LINGER.minusNanos(1));
        assertThat(kinesis.calls).isEmpty();
        time.advance(Duration.ofNanos(1));

        assertThat(kinesis.calls).hasSize(1);
        assertThat(kinesis.last().keys()).containsExactlyElementsOf(IntStream.range(0, 200).mapToObj(i -> "k" + i)
                .toList());
        assertThat(published).noneMatch(CompletableFuture::isDone);
        kinesis.last().accept();
        assertThat(published).allMatch(future -> future.isDone() && !future.isCompletedExceptionally());
        assertThat(publisher.buffered()).isZero();
        assertThat(meters.get("tracking.publisher.records").tags("stream", "events", "outcome", "accepted")
                .counter().count()).isEqualTo(200);
        assertThat(meters.get("tracking.publisher.batch.size").tag("stream", "events").summary().totalAmount())
                .isEqualTo(200);
        assertThat(meters.get("tracking.publisher.records.per.kinesis.record").summary().max()).isEqualTo(1);
        assertThat(meters.get("tracking.publisher.put.latency").timer().count()).isEqualTo(1);
    }

    @Test
    void sendsAFullCallAtOnce() {
        publisher = publisher(settings(500, 8, 1000), TrackingProperties.Aggregation.off());

        IntStream.range(0, 501).forEach(i -> publish("k" + i));

        assertThat(kinesis.calls).hasSize(1);
        assertThat(kinesis.last().keys()).hasSize(500).first().isEqualTo("k0");
        time.advance(LINGER);
        assertThat(kinesis.calls).hasSize(2);
        assertThat(kinesis.last().keys()).containsExactly("k500");
    }

    @Test
    void sendsWhatQueuedBehindABusyCallAsSoonAsItCompletes() {
        publisher = publisher(settings(500, 1, 1000), TrackingProperties.Aggregation.off());
        publish("a");
        time.advance(LINGER);
        List<CompletableFuture<Void>> queued = List.of(publish("b"), publish("c"));
        time.advance(LINGER.multipliedBy(10));
        assertThat(kinesis.calls).hasSize(1);

        kinesis.last().accept();

        assertThat(kinesis.calls).hasSize(2);
        assertThat(kinesis.last().keys()).containsExactly("b", "c");
        kinesis.last().accept();
        assertThat(queued).allMatch(future -> future.isDone() && !future.isCompletedExceptionally());
    }

    @Test
    void putsAgainOnlyTheEntriesKinesisRejected() {
        publisher = publisher(settings(500, 8, 1000), TrackingProperties.Aggregation.off());
        CompletableFuture<Void> a = publish("a");
        CompletableFuture<Void> b = publish("b");
        CompletableFuture<Void> c = publish("c");
        time.advance(LINGER);

        kinesis.last().reject(i -> i == 1, "ProvisionedThroughputExceededException");

        assertThat(a).isCompleted();
        assertThat(c).isCompleted();
        assertThat(b).isNotDone();
        time.advance(BACKOFF.dividedBy(2).minusNanos(1));
        assertThat(kinesis.calls).hasSize(1);
        time.advance(BACKOFF.dividedBy(2).plusNanos(1));
        assertThat(kinesis.calls).hasSize(2);
        assertThat(kinesis.last().keys()).containsExactly("b");
        kinesis.last().accept();
        assertThat(b).isCompleted();
        assertThat(meters.get("tracking.publisher.retries").counter().count()).isEqualTo(1);
    }

    @Test
    void putsTheRecordsOfARejectedAggregatedRecordAgain() {
        publisher = publisher(settings(500, 8, 1000),
                new TrackingProperties.Aggregation(true, DataSize.ofKilobytes(1), Duration.ofMillis(20), 1));
        List<CompletableFuture<Void>> published = IntStream.range(0, 50)
                .mapToObj(i -> publish("k" + i, "event-" + i + "-" + "x".repeat(90))).toList();
        time.advance(Duration.ofMillis(20));
        List<PutRecordsRequestEntry> entries = kinesis.last().request().records();
        assertThat(entries.size()).isBetween(2, 10);

        kinesis.last().reject(i -> i == 0, "InternalFailure");
        time.advance(BACKOFF);

        assertThat(kinesis.calls).hasSize(2);
        List<String> putAgain = kinesis.last().request().records().stream().flatMap(entry -> unpack(entry).stream())
                .toList();
        assertThat(putAgain).isEqualTo(unpack(entries.get(0))).hasSizeGreaterThan(1);
        assertThat(published.stream().filter(CompletableFuture::isDone)).hasSize(50 - putAgain.size());
        kinesis.last().accept();
        assertThat(published).allMatch(future -> future.isDone() && !future.isCompletedExceptionally());
    }

    @Test
    void neverSendsARecordWhoseTimeRanOutAndAnswersNotRecorded() {
        publisher = publisher(settings(500, 1, 1000), TrackingProperties.Aggregation.off());
        publish("a");
        time.advance(LINGER);
        time.advance(Duration.ofMillis(10));
        long admitted = time.getAsLong();
        CompletableFuture<Void> late = publish("late");
        Duration untilTooLate = TIMEOUT.minus(MIN_CALL);

        time.advance(untilTooLate.minusNanos(1));
        assertThat(late).isNotDone();
        time.advance(Duration.ofNanos(1));

        assertThat(time.getAsLong()).isEqualTo(admitted + untilTooLate.toNanos());
        assertThat(rejection(late).outcome()).isEqualTo(Outcome.NOT_RECORDED);
        assertThat(rejection(late).retryAfter()).isEqualTo(Fixtures.RETRY_AFTER);
        kinesis.last().accept();
        assertThat(kinesis.calls).hasSize(1);
        assertThat(kinesis.calls.get(0).keys()).containsExactly("a");
        assertThat(rejections("expired")).isEqualTo(1);
    }

    @Test
    void answersARecordWhoseCallGetsNoAnswerAsUnknownByItsDeadline() {
        publisher = publisher(settings(500, 8, 1000), TrackingProperties.Aggregation.off());
        long admitted = time.getAsLong();
        CompletableFuture<Void> published = publish("a");
        time.advance(LINGER);
        assertThat(kinesis.last().request().overrideConfiguration().orElseThrow().apiCallTimeout())
                .contains(TIMEOUT.minus(LINGER));

        time.advance(TIMEOUT.minus(LINGER).minusNanos(1));
        assertThat(published).isNotDone();
        time.advance(Duration.ofNanos(1));

        assertThat(time.getAsLong()).isEqualTo(admitted + TIMEOUT.toNanos());
        assertThat(rejection(published).outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(rejections("timeout")).isEqualTo(1);
        assertThat(publisher.buffered()).isZero();
    }

    @Test
    void putsARecordAgainAfterACallThatMayHaveReachedKinesis() {
        publisher = publisher(settings(500, 8, 1000), TrackingProperties.Aggregation.off());
        CompletableFuture<Void> published = publish("a");
        time.advance(LINGER);

        kinesis.last().answer().completeExceptionally(connectionReset());
        time.advance(BACKOFF);
        kinesis.last().accept();

        assertThat(kinesis.calls).extracting(ScriptedKinesis.Call::keys).containsExactly(List.of("a"), List.of("a"));
        assertThat(published).isCompleted();
    }

    @Test
    void answersUnknownWhenNoTryAfterACallThatMayHaveReachedKinesisIsAccepted() {
        publisher = publisher(settings(500, 8, 1000), TrackingProperties.Aggregation.off());
        CompletableFuture<Void> published = publish("a");
        time.advance(LINGER);
        kinesis.last().answer().completeExceptionally(connectionReset());

        while (!published.isDone()) {
            time.advance(MAX_BACKOFF);
            if (!kinesis.last().answer().isDone()) {
                kinesis.last().reject(i -> true, "ProvisionedThroughputExceededException");
            }
        }

        assertThat(kinesis.calls.size()).isGreaterThan(2);
        assertThat(rejection(published).outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(rejections("call-failed")).isEqualTo(1);
    }

    @Test
    void refusesRecordsAtOnceWhenTheBufferIsFull() {
        publisher = publisher(settings(500, 1, 2), TrackingProperties.Aggregation.off());
        publish("a");
        publish("b");

        CompletableFuture<Void> refused = publish("c");

        assertThat(rejection(refused).outcome()).isEqualTo(Outcome.NOT_RECORDED);
        assertThat(rejection(refused)).hasMessageContaining("buffer full");
        assertThat(publisher.saturated()).isTrue();
        assertThat(rejections("saturated")).isEqualTo(1);
    }

    @Test
    void refusesARecordLargerThanAKinesisRecordAtOnce() {
        publisher = publisher(settings(500, 8, 1000), TrackingProperties.Aggregation.off());

        CompletableFuture<Void> refused = publisher.publish("k", new byte[1024 * 1024]).toFuture();
        time.advance(LINGER);

        assertThat(rejection(refused).retryAfter()).as("retrying cannot help").isNull();
        assertThat(kinesis.calls).isEmpty();
        assertThat(rejections("oversize")).isEqualTo(1);
    }

    @Test
    void sendsWhatItHoldsWhenStoppedAndRefusesNewRecords() {
        publisher = publisher(settings(500, 8, 1000), TrackingProperties.Aggregation.off());
        kinesis.acceptAtOnce();
        List<CompletableFuture<Void>> published = List.of(publish("a"), publish("b"), publish("c"));

        publisher.stop();

        assertThat(kinesis.calls).hasSize(1);
        assertThat(kinesis.last().keys()).containsExactly("a", "b", "c");
        assertThat(published).allMatch(future -> future.isDone() && !future.isCompletedExceptionally());
        assertThat(rejection(publish("late"))).hasMessageContaining("shutting down");
    }

    @Test
    void reportsWedgedWhileRecordsWaitAndNoCallCompletes() {
        publisher = publisher(settings(500, 8, 1000), TrackingProperties.Aggregation.off());
        time.advanceClockOnly(Duration.ofHours(1));
        CompletableFuture<Void> published = publish("a");
        assertThat(publisher.wedged()).as("idle before the record came").isFalse();

        time.advanceClockOnly(Duration.ofSeconds(10));
        assertThat(publisher.wedged()).isFalse();
        time.advanceClockOnly(Duration.ofNanos(1));
        assertThat(publisher.wedged()).isTrue();

        time.advance(Duration.ZERO);
        assertThat(rejection(published).outcome()).isEqualTo(Outcome.NOT_RECORDED);
        assertThat(publisher.wedged()).isFalse();
    }

    private KinesisBatchPublisher publisher(TrackingProperties.Publisher settings,
            TrackingProperties.Aggregation aggregation) {
        KinesisBatchPublisher created = new KinesisBatchPublisher(kinesis, "events", settings, aggregation, meters,
                time, time);
        created.start();
        return created;
    }

    private CompletableFuture<Void> publish(String key) {
        return publish(key, key);
    }

    private CompletableFuture<Void> publish(String key, String data) {
        return publisher.publish(key, data.getBytes(StandardCharsets.UTF_8)).toFuture();
    }

    private double rejections(String reason) {
        return meters.get("tracking.publisher.records").tags("stream", "events", "outcome", "rejected", "reason",
                reason).counter().count();
    }

    private static PublishRejectedException rejection(CompletableFuture<Void> future) {
        assertThat(future).isCompletedExceptionally();
        return (PublishRejectedException) future.handle((ignored, error) -> error instanceof CompletionException
                ? error.getCause() : error).join();
    }

    private static SdkClientException connectionReset() {
        return SdkClientException.create("Unable to execute HTTP request: Connection reset",
                new IOException("Connection reset"));
    }
}
