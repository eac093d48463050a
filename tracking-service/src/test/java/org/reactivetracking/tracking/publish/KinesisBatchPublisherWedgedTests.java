package org.reactivetracking.tracking.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivetracking.tracking.TrackingProperties;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/** The publisher's liveness signal: wedged while records wait and no call completes, for long. */
class KinesisBatchPublisherWedgedTests {

    private final KinesisAsyncClient kinesis = mock(KinesisAsyncClient.class);
    private final CompletableFuture<PutRecordsResponse> hanging = new CompletableFuture<>();
    private KinesisBatchPublisher publisher;

    @AfterEach
    void stop() {
        hanging.cancel(false);
        if (publisher != null) {
            publisher.stop();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void isWedgedWhileACallHangsWithRecordsWaitingAndRecoversWhenItCompletes() {
        when(kinesis.putRecords(any(Consumer.class))).thenReturn(hanging);
        publisher = new KinesisBatchPublisher(kinesis, "events", new TrackingProperties.Publisher(500,
                DataSize.ofMegabytes(5), Duration.ofMillis(1), 1, 1000, DataSize.ofMegabytes(32),
                Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(1)),
                TrackingProperties.Aggregation.off(), new SimpleMeterRegistry());
        publisher.start();
        assertThat(publisher.wedged()).as("idle").isFalse();

        Mono<Void> published = publisher.publish("k", "r".getBytes(StandardCharsets.UTF_8)).cache();
        published.subscribe(ignored -> { }, error -> { });

        // the threshold is max(10 s, 3 x the 1 s timeout)
        await().atMost(Duration.ofSeconds(60)).until(publisher::wedged);

        hanging.complete(PutRecordsResponse.builder().failedRecordCount(0)
                .records(PutRecordsResultEntry.builder().sequenceNumber("1").shardId("s").build()).build());
        published.block(Duration.ofSeconds(10));
        assertThat(publisher.wedged()).as("after the call completed").isFalse();
    }
}
