package org.reactivetracking.tracking.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * A Kinesis client whose PutRecords calls wait until the test answers them, or, once {@link #acceptAtOnce()} is set,
 * are answered "all stored" as they are made. Nothing runs on another thread.
 */
final class ScriptedKinesis implements KinesisAsyncClient {

    /** One PutRecords call and its answer, which the test completes. */
    record Call(PutRecordsRequest request, CompletableFuture<PutRecordsResponse> answer) {

        List<String> keys() {
            return request.records().stream().map(PutRecordsRequestEntry::partitionKey).toList();
        }

        void accept() {
            reject(entry -> false, null);
        }

        /** Answers with {@code errorCode} for the entries at the indexes that {@code rejected} matches. */
        void reject(IntPredicate rejected, String errorCode) {
            List<PutRecordsResultEntry> results = new ArrayList<>();
            int failed = 0;
            for (int i = 0; i < request.records().size(); i++) {
                if (rejected.test(i)) {
                    failed++;
                    results.add(PutRecordsResultEntry.builder().errorCode(errorCode)
                            .errorMessage("Rate exceeded for shard shardId-000000000001 in stream events under "
                                    + "account 123456789012.").build());
                }
                else {
                    results.add(PutRecordsResultEntry.builder().sequenceNumber(String.valueOf(i))
                            .shardId("shardId-000000000001").build());
                }
            }
            answer.complete(PutRecordsResponse.builder().failedRecordCount(failed).records(results).build());
        }
    }

    final List<Call> calls = new ArrayList<>();
    private boolean acceptAtOnce;

    /** Answers "all stored" to every call from now on, those waiting included. */
    void acceptAtOnce() {
        acceptAtOnce = true;
        List.copyOf(calls).stream().filter(call -> !call.answer().isDone()).forEach(Call::accept);
    }

    Call last() {
        return calls.get(calls.size() - 1);
    }

    @Override
    public CompletableFuture<PutRecordsResponse> putRecords(PutRecordsRequest request) {
        Call call = new Call(request, new CompletableFuture<>());
        calls.add(call);
        if (acceptAtOnce) {
            call.accept();
        }
        return call.answer();
    }

    @Override
    public String serviceName() {
        return "kinesis";
    }

    @Override
    public void close() {
    }
}
