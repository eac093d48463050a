package org.reactivetracking.tracking.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/** One PutRecords call, against a scripted client and a clock moved by hand. */
class PutRecordsCallTests {

    private static final long MS = 1_000_000L;

    private final ScriptedKinesis kinesis = new ScriptedKinesis();
    private final ManualTime time = new ManualTime();
    private final PutRecordsCall call = new PutRecordsCall(kinesis, "events", time);

    @Test
    void givesTheSdkTheCallsTimeAsItsApiCallTimeout() {
        call.put(entries("a"), 750 * MS + 999_999);

        assertThat(kinesis.last().request().streamName()).isEqualTo("events");
        assertThat(kinesis.last().request().overrideConfiguration().orElseThrow().apiCallTimeout())
                .contains(Duration.ofMillis(750));
    }

    @Test
    void reportsWhichEntriesKinesisRefused() {
        CompletableFuture<CallResult> result = call.put(entries("a", "b", "c", "d"), 1000 * MS);

        kinesis.last().reject(i -> i == 1, "ProvisionedThroughputExceededException");

        assertThat(result).isCompleted();
        CallResult answered = result.join();
        assertThat(answered.failure(0)).isNull();
        assertThat(answered.failure(1)).isEqualTo(Reason.THROTTLED);
        assertThat(answered.failure(2)).isNull();
        assertThat(answered.detail()).contains("ProvisionedThroughputExceededException");
    }

    @Test
    void reportsOtherEntryErrorsAsRefused() {
        CompletableFuture<CallResult> result = call.put(entries("a"), 1000 * MS);

        kinesis.last().reject(i -> true, "InternalFailure");

        assertThat(result.join().failure(0)).isEqualTo(Reason.REFUSED);
    }

    @Test
    void endsACallWithoutAnswerAtItsTimeAsTimedOut() {
        CompletableFuture<CallResult> result = call.put(entries("a", "b"), 1000 * MS);

        time.advance(Duration.ofMillis(999));
        assertThat(result).isNotDone();
        time.advance(Duration.ofMillis(1));

        assertThat(result).isCompleted();
        assertThat(result.join().failure(0)).isEqualTo(Reason.TIMEOUT);
        assertThat(result.join().failure(1)).isEqualTo(Reason.TIMEOUT);
        assertThat(kinesis.last().answer()).isCancelled();
    }

    @Test
    void cancelsItsTimerWhenAnswered() {
        call.put(entries("a"), 1000 * MS);

        kinesis.last().accept();

        assertThat(time.scheduled()).isZero();
    }

    @Test
    void sendsNothingWithoutAWholeMillisecondLeft() {
        CompletableFuture<CallResult> result = call.put(entries("a"), 999_999);

        assertThat(kinesis.calls).isEmpty();
        assertThat(result.join().failure(0)).isEqualTo(Reason.EXPIRED);
    }

    @Test
    void tellsFailuresThatMayHaveReachedKinesisFromThoseThatCannot() {
        assertThat(failure(ApiCallTimeoutException.create(1000))).isEqualTo(Reason.TIMEOUT);
        assertThat(failure(SdkClientException.create("Unable to execute HTTP request: Connection reset",
                new IOException("Connection reset")))).isEqualTo(Reason.CALL_FAILED);
        assertThat(failure(KinesisException.builder().statusCode(500).message("InternalFailure").build()))
                .isEqualTo(Reason.CALL_FAILED);
        assertThat(failure(SdkClientException.create("Unable to execute HTTP request",
                new ConnectException("Connection refused")))).isEqualTo(Reason.UNREACHABLE);
        assertThat(failure(KinesisException.builder().statusCode(400).message("ResourceNotFoundException").build()))
                .isEqualTo(Reason.REFUSED);
        assertThat(Reason.TIMEOUT.mayBeStored()).isTrue();
        assertThat(Reason.CALL_FAILED.mayBeStored()).isTrue();
        assertThat(Reason.UNREACHABLE.mayBeStored()).isFalse();
        assertThat(Reason.REFUSED.mayBeStored()).isFalse();
    }

    private Reason failure(Throwable error) {
        CompletableFuture<CallResult> result = call.put(entries("a"), 1000 * MS);
        kinesis.last().answer().completeExceptionally(new CompletionException(error));
        return result.join().failure(0);
    }

    private static List<PutRecordsRequestEntry> entries(String... keys) {
        return List.of(keys).stream().map(key -> PutRecordsRequestEntry.builder().partitionKey(key)
                .data(SdkBytes.fromUtf8String(key)).build()).toList();
    }
}
