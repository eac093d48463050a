package org.reactivetracking.system;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reactivetracking.model.AggregatedRecords;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.TrackingEvent;
import org.reactivetracking.model.TrackingEventCodec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * Tracks events through tracking-service instances as clients do, {@code GET /event/{programId}}: a fixed number of
 * requests in flight per instance, taking the next request from one shared count, so a faster instance takes more
 * (as a load balancer routing to the least busy would). Each request carries its own event id and is retried with
 * it on {@code 503}, as clients are told to; every {@code 200} is an acknowledged event, kept by its id. Anything
 * else, or a 503 after every attempt, is kept as a failure with its status and body.
 * <p>
 * On a small machine HTTP is the slow part of a run, so events can also be put on the stream directly, as another
 * producer would: in aggregated records under random partition keys, acknowledged when PutRecords takes them.
 */
final class TrackingLoad {

    /** Attempts per event before its answer counts as a failure: a 503 that persists is a failure of the run. */
    private static final int MAX_ATTEMPTS = 10;
    private static final Pattern MESSAGE_ID = Pattern.compile("\"messageId\":\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<ServiceProcess> instances;
    private final List<String> programIds;
    private final int inFlightPerInstance;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger retried = new AtomicInteger();

    TrackingLoad(List<ServiceProcess> instances, List<String> programIds, int inFlightPerInstance) {
        this.instances = List.copyOf(instances);
        this.programIds = List.copyOf(programIds);
        this.inFlightPerInstance = inFlightPerInstance;
    }

    /** Sends {@code count} requests and returns once every one is answered. */
    void track(int count) {
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(instances.size() * inFlightPerInstance);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (ServiceProcess instance : instances) {
                for (int i = 0; i < inFlightPerInstance; i++) {
                    running.add(clients.submit(() -> {
                        for (int n = next.getAndIncrement(); n < count; n = next.getAndIncrement()) {
                            track(instance, programIds.get(n % programIds.size()));
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> client : running) {
                client.get();
            }
        }
        catch (Exception ex) {
            throw new IllegalStateException("sending events failed", ex);
        }
        finally {
            clients.shutdownNow();
        }
    }

    /** Puts {@code count} events on {@code stream} directly, {@code perRecord} to an aggregated record. */
    void put(KinesisClient kinesis, String stream, int count, int perRecord) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int put = 0; put < count; put += perRecord) {
            AggregatedRecords.Packer packer = new AggregatedRecords.Packer(UUID.randomUUID().toString());
            for (int i = put; i < Math.min(count, put + perRecord); i++) {
                String messageId = i == put ? packer.partitionKey() : UUID.randomUUID().toString();
                packer.add(TrackingEventCodec.encode(new TrackingEvent(messageId,
                        new Program(programIds.get(i % programIds.size()), "Put directly", "d", 1, "ACME", true),
                        "scale-out-test", Instant.now(), "")));
                ids.add(messageId);
            }
            entries.add(PutRecordsRequestEntry.builder().partitionKey(packer.partitionKey())
                    .data(SdkBytes.fromByteArray(packer.toBytes())).build());
        }
        for (int from = 0; from < entries.size(); from += 500) {
            List<PutRecordsRequestEntry> call = entries.subList(from, Math.min(entries.size(), from + 500));
            var response = kinesis.putRecords(request -> request.streamName(stream).records(call));
            if (response.failedRecordCount() > 0) {
                throw new IllegalStateException(response.failedRecordCount() + " records refused by " + stream);
            }
        }
        acknowledged.addAll(ids);
    }

    /** The message ids of every event acknowledged so far: answered with 200, or taken by PutRecords. */
    Set<String> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    /** Every answer other than 200 so far: status and body. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    /**
     * One event, as a well-behaved client sends it: with its own event id ({@code eid}), retried with the same id
     * while the answer is {@code 503} (the service asks the client to retry; an event it may have recorded is stored
     * once, under that id), after the {@code Retry-After} it names.
     */
    private void track(ServiceProcess instance, String programId) throws IOException, InterruptedException {
        String eventId = UUID.randomUUID().toString();
        HttpRequest request = HttpRequest.newBuilder(instance.uri("/event/" + programId + "?eid=" + eventId))
                .header("User-Agent", "scale-out-test").timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        for (int attempt = 1; response.statusCode() == 503 && attempt < MAX_ATTEMPTS; attempt++) {
            retried.incrementAndGet();
            long seconds = Math.min(response.headers().firstValueAsLong("Retry-After").orElse(1), 5);
            response = sendAfter(request, seconds);
        }
        Matcher messageId = MESSAGE_ID.matcher(response.body());
        if (response.statusCode() == 200 && messageId.find() && messageId.group(1).equals(eventId)) {
            acknowledged.add(eventId);
        }
        else {
            failures.add(response.statusCode() + " " + response.body());
        }
    }

    /** Sends the request once {@code seconds} have passed, as a {@code Retry-After} asks. */
    private HttpResponse<String> sendAfter(HttpRequest request, long seconds) throws InterruptedException {
        Executor later = CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS);
        try {
            return CompletableFuture.supplyAsync(() -> request, later)
                    .thenCompose(retry -> http.sendAsync(retry, HttpResponse.BodyHandlers.ofString())).get();
        }
        catch (ExecutionException ex) {
            throw new IllegalStateException("retrying " + request.uri() + " failed", ex.getCause());
        }
    }

        /** Requests answered {@code 503} and sent again so far. */
    int retried() {
        return retried.get();
    }
}
