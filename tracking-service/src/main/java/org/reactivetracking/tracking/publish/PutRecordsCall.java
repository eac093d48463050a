package org.reactivetracking.tracking.publish;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * One PutRecords call on one stream, bounded in time: the SDK is given the call's time as its API call timeout, and
 * the result is completed by then even if the SDK is late. Never fails: every way it can go wrong becomes a
 * {@link CallResult} saying, entry by entry, whether the record may be on the stream.
 */
final class PutRecordsCall {

    private static final Set<String> THROTTLING = Set.of("ProvisionedThroughputExceededException",
            "KMSThrottlingException");

    private final KinesisAsyncClient kinesis;
    private final String stream;
    private final Scheduler scheduler;

    PutRecordsCall(KinesisAsyncClient kinesis, String stream, Scheduler scheduler) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.scheduler = scheduler;
    }

    /** Puts {@code entries}; the result completes within {@code timeoutNanos}. */
    CompletableFuture<CallResult> put(List<PutRecordsRequestEntry> entries, long timeoutNanos) {
        // whole milliseconds, rounded down: the SDK reads the timeout in milliseconds and 0 would mean none
        Duration timeout = Duration.ofMillis(timeoutNanos / 1_000_000);
        if (timeout.isZero() || timeout.isNegative()) {
            return CompletableFuture.completedFuture(
                    CallResult.failed(entries.size(), Reason.EXPIRED, "no time left for a call"));
        }
        CompletableFuture<PutRecordsResponse> call;
        try {
            call = kinesis.putRecords(request -> request.streamName(stream).records(entries)
                    .overrideConfiguration(config -> config.apiCallTimeout(timeout)));
        }
        catch (RuntimeException ex) {
            return CompletableFuture.completedFuture(CallResult.failed(entries.size(), Reason.UNREACHABLE,
                    "not sent: " + ex));
        }
        CompletableFuture<CallResult> result = new CompletableFuture<>();
        Scheduler.Task timer = scheduler.schedule(() -> {
            if (result.complete(CallResult.failed(entries.size(), Reason.TIMEOUT, "no answer within " + timeout))) {
                call.cancel(true);
            }
        }, timeoutNanos);
        call.whenComplete((response, error) -> {
            timer.cancel();
            result.complete(error == null ? answered(entries.size(), response) : failed(entries.size(), error));
        });
        return result;
    }

    private static CallResult answered(int entries, PutRecordsResponse response) {
        List<PutRecordsResultEntry> results = response.records();
        if (results.size() != entries) {
            return CallResult.failed(entries, Reason.CALL_FAILED,
                    results.size() + " results for " + entries + " entries");
        }
        Reason[] failures = new Reason[entries];
        String detail = null;
        for (int i = 0; i < entries; i++) {
            String code = results.get(i).errorCode();
            if (code != null) {
                failures[i] = THROTTLING.contains(code) ? Reason.THROTTLED : Reason.REFUSED;
                detail = code + ": " + results.get(i).errorMessage();
            }
        }
        return CallResult.answered(failures, detail);
    }

    /** Only a call Kinesis refused as a whole, or one never sent, certainly stored nothing. */
    static CallResult failed(int entries, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return CallResult.failed(entries, classify(cause), cause.toString());
    }

    private static Reason classify(Throwable cause) {
        if (cause instanceof ApiCallTimeoutException || cause instanceof ApiCallAttemptTimeoutException) {
            return Reason.TIMEOUT;
        }
        if (cause instanceof SdkServiceException service && service.statusCode() >= 400
                && service.statusCode() < 500) {
            return Reason.REFUSED;
        }
        for (Throwable next = cause; next != null; next = next.getCause()) {
            if (next instanceof ConnectException) {
                return Reason.UNREACHABLE;
            }
        }
        return Reason.CALL_FAILED;
    }
}
