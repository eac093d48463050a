package org.reactivetracking.tracking.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivetracking.model.AggregatedRecords;
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
    private final List<PutRecordsRequest> requests = new CopyOnWriteArrayList<>();
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
                TrackingProperties.Aggregation.off(), new SimpleMeterRegistry());
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

    @Test
    void packsConcurrentRecordsIntoAggregatedRecordsOfBoundedSize() {
        answer(request -> accepted(request));
        publisher = publisher(settings(500, 2, 5000, Duration.ofSeconds(3)),
                new TrackingProperties.Aggregation(true, DataSize.ofKilobytes(4), Duration.ofMillis(5), 2));
        List<String> published = IntStream.range(0, 2000).mapToObj(i -> "event-" + i + "-" + "x".repeat(80))
                .toList();

        Flux.fromIterable(published).flatMap(data -> publisher.publish(UUID.randomUUID().toString(),
                data.getBytes(StandardCharsets.UTF_8)), 2000).blockLast(Duration.ofSeconds(10));

        List<PutRecordsRequestEntry> kinesisRecords = requests.stream().flatMap(request -> request.records().stream())
                .toList();
        assertThat(kinesisRecords).allSatisfy(entry -> assertThat(entry.data().asByteArray().length
                + entry.partitionKey().length()).isLessThanOrEqualTo(4096));
        assertThat(kinesisRecords.size()).as("Kinesis records for 2000 published").isLessThan(100);
        assertThat(kinesisRecords.stream().flatMap(entry -> unpack(entry).stream()).toList())
                .containsExactlyInAnyOrderElementsOf(published);
        assertThat(publisher.buffered()).isZero();
    }

    @Test
    void putsTheRecordsOfARejectedAggregatedRecordAgain() {
        answer(request -> {
            // the first call's first Kinesis record is throttled
            if (requests.size() == 1) {
                List<PutRecordsResultEntry> results = new ArrayList<>();
                for (int i = 0; i < request.records().size(); i++) {
                    results.add(i == 0 ? PutRecordsResultEntry.builder()
                            .errorCode("ProvisionedThroughputExceededException").errorMessage("slow down").build()
                            : PutRecordsResultEntry.builder().sequenceNumber("1").shardId("s").build());
                }
                return PutRecordsResponse.builder().failedRecordCount(1).records(results).build();
            }
            return accepted(request);
        });
        publisher = publisher(settings(500, 8, 1000, Duration.ofSeconds(3)),
                new TrackingProperties.Aggregation(true, DataSize.ofKilobytes(50), Duration.ofMillis(5), 8));
        List<String> published = IntStream.range(0, 50).mapToObj(i -> "event-" + i).toList();

        Flux.fromIterable(published).flatMap(data -> publisher.publish("k-" + data,
                data.getBytes(StandardCharsets.UTF_8)), 50).blockLast(Duration.ofSeconds(10));

        List<String> rejected = unpack(requests.get(0).records().get(0));
        List<String> putAgain = requests.subList(1, requests.size()).stream()
                .flatMap(request -> request.records().stream()).flatMap(entry -> unpack(entry).stream()).toList();
        assertThat(rejected).isNotEmpty();
        assertThat(putAgain).containsAll(rejected);
        assertThat(publisher.buffered()).isZero();
    }

    /** The records inside a Kinesis record: the aggregated ones unpacked, a plain one as it is. */
    private static List<String> unpack(PutRecordsRequestEntry entry) {
        byte[] data = entry.data().asByteArray();
        List<byte[]> records = AggregatedRecords.isAggregated(data) ? AggregatedRecords.unpack(data) : List.of(data);
        return records.stream().map(bytes -> new String(bytes, StandardCharsets.UTF_8)).toList();
    }

    private void answer(Function<PutRecordsRequest, PutRecordsResponse> kinesisAnswer) {
        when(kinesis.putRecords(any(Consumer.class))).thenAnswer(invocation -> {
            PutRecordsRequest.Builder builder = PutRecordsRequest.builder();
            invocation.<Consumer<PutRecordsRequest.Builder>>getArgument(0).accept(builder);
            PutRecordsRequest request = builder.build();
            calls.add(request.records().stream().map(PutRecordsRequestEntry::partitionKey).toList());
            requests.add(request);
            return CompletableFuture.supplyAsync(() -> kinesisAnswer.apply(request));
        });
    }

    private static PutRecordsResponse accepted(PutRecordsRequest request) {
        return PutRecordsResponse.builder().failedRecordCount(0).records(request.records().stream()
                .map(entry -> PutRecordsResultEntry.builder().sequenceNumber("1").shardId("s").build()).toList())
                .build();
    }

    private KinesisBatchPublisher publisher(TrackingProperties.Publisher settings) {
        return publisher(settings, TrackingProperties.Aggregation.off());
    }

    private KinesisBatchPublisher publisher(TrackingProperties.Publisher settings,
            TrackingProperties.Aggregation aggregation) {
        KinesisBatchPublisher created = new KinesisBatchPublisher(kinesis, "events", settings, aggregation,
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
