package org.reactivetracking.tracking.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivetracking.tracking.TrackingProperties;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/** The publisher alone, against a scripted Kinesis client. */
class KinesisBatchPublisherTests {

    private final KinesisAsyncClient kinesis = mock(KinesisAsyncClient.class);
    private final List<List<String>> calls = new CopyOnWriteArrayList<>();
    private KinesisBatchPublisher publisher;

    @AfterEach
    void stop() {
        if (publisher != null) {
            publisher.stop();
        }
    }

    @Test
    void sendsConcurrentRecordsTogether() {
        answer(request -> accepted(request));
        publisher = publisher(settings(500, 8, 1000, Duration.ofSeconds(3)));

        Flux.range(0, 200).flatMap(i -> publisher.publish("k" + i, ("r" + i).getBytes(StandardCharsets.UTF_8)), 200)
                .blockLast(Duration.ofSeconds(10));

        assertThat(calls.stream().mapToInt(List::size).sum()).isEqualTo(200);
        assertThat(calls.size()).isLessThan(20);
    }

    @Test
    void retriesOnlyTheEntriesKinesisRejected() {
        answer(request -> {
            // the first call throttles its second entry; later calls succeed
            if (calls.size() == 1) {
                List<PutRecordsResultEntry> results = request.records().stream()
                        .map(entry -> entry.partitionKey().equals("b")
                                ? PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException")
                                        .errorMessage("slow down").build()
                                : PutRecordsResultEntry.builder().sequenceNumber("1").shardId("s").build())
                        .toList();
                return PutRecordsResponse.builder().failedRecordCount(1).records(results).build();
            }
            return accepted(request);
        });
        publisher = publisher(settings(500, 8, 1000, Duration.ofSeconds(3)));

        Flux.just("a", "b", "c").flatMap(key -> publisher.publish(key, key.getBytes(StandardCharsets.UTF_8)))
                .blockLast(Duration.ofSeconds(10));

        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(calls.get(1)).containsExactly("b");
    }

    @Test
    void refusesRecordsAtOnceWhenTheBufferIsFull() {
        CompletableFuture<PutRecordsResponse> never = new CompletableFuture<>();
        when(kinesis.putRecords(any(Consumer.class))).thenAnswer(invocation -> never);
        publisher = publisher(settings(500, 1, 2, Duration.ofSeconds(1)));
        publisher.publish("a", new byte[] { 1 }).subscribe();
        publisher.publish("b", new byte[] { 2 }).subscribe();

        assertThatThrownBy(() -> publisher.publish("c", new byte[] { 3 }).block(Duration.ofSeconds(1)))
                .isInstanceOf(PublishRejectedException.class).hasMessageContaining("buffer full");
        assertThat(publisher.saturated()).isTrue();
    }

    @Test
    void failsARecordThatIsNotAcceptedBeforeItsDeadline() {
        when(kinesis.putRecords(any(Consumer.class)))
                .thenAnswer(invocation -> CompletableFuture.failedFuture(SdkClientException.create("unreachable")));
        publisher = publisher(settings(500, 8, 1000, Duration.ofMillis(300)));

        assertThatThrownBy(() -> publisher.publish("a", new byte[] { 1 }).block(Duration.ofSeconds(5)))
                .isInstanceOf(PublishRejectedException.class).hasMessageContaining("unreachable");
        assertThat(publisher.buffered()).isZero();
    }

    @Test
    void keepsSendingWhenEveryCallSlotIsBusyAsTheLingerExpires() {
        // one call at a time: records queued behind it must still go out once it completes
        answer(request -> accepted(request));
        publisher = publisher(settings(500, 1, 1000, Duration.ofSeconds(3)));

        List<Void> done = Flux.range(0, 300)
                .flatMap(i -> Mono.delay(Duration.ofMillis(i % 30)).then(publisher.publish("k" + i, new byte[] { 1 })),
                        300)
                .collectList().block(Duration.ofSeconds(10));

        assertThat(done).isEmpty();
        assertThat(calls.stream().mapToInt(List::size).sum()).isEqualTo(300);
        assertThat(publisher.buffered()).isZero();
    }

    @Test
    void sendsWhatItHoldsWhenStoppedAndRefusesNewRecords() {
        answer(request -> accepted(request));
        publisher = new KinesisBatchPublisher(kinesis, "events", new TrackingProperties.Publisher(500,
                DataSize.ofMegabytes(5), Duration.ofMinutes(1), 8, 1000, DataSize.ofMegabytes(32),
                Duration.ofSeconds(3), Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(1)),
                new SimpleMeterRegistry());
        publisher.start();
        List<CompletableFuture<Void>> pending = Flux.range(0, 3)
                .map(i -> publisher.publish("k" + i, new byte[] { 1 }).toFuture()).collectList().block();

        publisher.stop();

        assertThat(pending).allSatisfy(future -> assertThat(future).isCompleted());
        assertThat(calls.stream().mapToInt(List::size).sum()).isEqualTo(3);
        assertThatThrownBy(() -> publisher.publish("late", new byte[] { 1 }).block(Duration.ofSeconds(1)))
                .isInstanceOf(PublishRejectedException.class).hasMessageContaining("shutting down");
        publisher = null;
    }

    private void answer(Function<PutRecordsRequest, PutRecordsResponse> kinesisAnswer) {
        when(kinesis.putRecords(any(Consumer.class))).thenAnswer(invocation -> {
            PutRecordsRequest.Builder builder = PutRecordsRequest.builder();
            invocation.<Consumer<PutRecordsRequest.Builder>>getArgument(0).accept(builder);
            PutRecordsRequest request = builder.build();
            calls.add(request.records().stream().map(PutRecordsRequestEntry::partitionKey).toList());
            return CompletableFuture.supplyAsync(() -> kinesisAnswer.apply(request));
        });
    }

    private static PutRecordsResponse accepted(PutRecordsRequest request) {
        return PutRecordsResponse.builder().failedRecordCount(0).records(request.records().stream()
                .map(entry -> PutRecordsResultEntry.builder().sequenceNumber("1").shardId("s").build()).toList())
                .build();
    }

    private KinesisBatchPublisher publisher(TrackingProperties.Publisher settings) {
        KinesisBatchPublisher created = new KinesisBatchPublisher(kinesis, "events", settings,
                new SimpleMeterRegistry());
        created.start();
        return created;
    }

    private static TrackingProperties.Publisher settings(int maxBatch, int inFlight, int maxBuffered,
            Duration timeout) {
        return new TrackingProperties.Publisher(maxBatch, DataSize.ofMegabytes(5), Duration.ofMillis(5), inFlight,
                maxBuffered, DataSize.ofMegabytes(32), timeout, Duration.ofMillis(20), Duration.ofMillis(200),
                Duration.ofSeconds(1));
    }
}
