package org.reactivetracking.tracking;

import java.util.ArrayList;
import java.util.List;
import org.reactivetracking.engines.LocalEngines;
import org.reactivetracking.model.TrackingEvent;
import org.reactivetracking.model.TrackingEventCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The service on the real engines (Redis and kinesis-mock, started once per JVM); every subclass shares one
 * application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// a failure bound, not an assertion: a first request (class loading, a cold JIT) on a busy machine can take seconds
@AutoConfigureWebTestClient(timeout = "30s")
abstract class EngineBackedTests {

    static final String API_KEY = "test-admin-key";
    static final String EVENTS = "tracking-events";
    static final String UPDATES = "program-updates";
    static final LocalEngines engines = LocalEngines.shared();

    @Autowired
    WebTestClient http;

    @DynamicPropertySource
    static void engineProperties(DynamicPropertyRegistry registry) {
        engines.ensureStream(EVENTS, 2);
        engines.ensureStream(UPDATES, 1);
        engines.springProperties().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("tracking.admin.api-key", () -> API_KEY);
        registry.add("tracking.streams.events", () -> EVENTS);
        registry.add("tracking.streams.updates", () -> UPDATES);
        // dependency state is probed in the background; often, so that outage tests need not wait long
        registry.add("tracking.health.probe-interval", () -> "1s");
    }

    void seedSamplePrograms() {
        http.post().uri("/cache/fill").header("X-Api-Key", API_KEY).exchange().expectStatus().isOk();
    }

    /** Every event on the event stream, from the start of each shard. */
    static List<TrackingEvent> eventsOnStream() {
        return recordsOn(EVENTS).stream().map(TrackingEventCodec::decode).toList();
    }

    /** Every record's data on a stream, from the start of each shard, in order within a shard. */
    static List<byte[]> recordsOn(String stream) {
        KinesisClient kinesis = engines.kinesisClient();
        List<byte[]> records = new ArrayList<>();
        for (Shard shard : kinesis.listShards(request -> request.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(request -> request.streamName(stream)
                    .shardId(shard.shardId()).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                var response = kinesis.getRecords(request -> request.shardIterator(current).limit(10_000));
                response.records().forEach(record -> records.add(record.data().asByteArray()));
                iterator = response.millisBehindLatest() == 0 && response.records().isEmpty() ? null
                        : response.nextShardIterator();
            }
        }
        return records;
    }
}
