package org.reactivetracking.programs;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.reactivetracking.engines.LocalEngines;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.ProgramUpdate;
import org.reactivetracking.model.ProgramUpdateCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.SdkBytes;

/**
 * The updater on the real engines (kinesis-mock, dynalite for checkpoints, Redis), started once per JVM; every
 * subclass shares one application context.
 */
@SpringBootTest
abstract class EngineBackedTests {

    static final String STREAM = "program-updates";
    static final String DEAD_LETTERS = "program-updates:dead-letters";
    static final int DEAD_LETTER_MAX_LENGTH = 50;
    static final LocalEngines engines = LocalEngines.shared();

    @Autowired
    StringRedisTemplate redis;

    @DynamicPropertySource
    static void engineProperties(DynamicPropertyRegistry registry) {
        engines.ensureStream(STREAM, 1);
        engines.springProperties().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("programs.dead-letter-max-length", () -> DEAD_LETTER_MAX_LENGTH);
        registry.add("kinesis.consumer.create-lease-table", () -> "true");
    }

    static Program program(String id, String name) {
        return new Program(id, name, "c", 7, "ACME", true);
    }

    static String put(ProgramUpdate update) {
        return put(ProgramUpdateCodec.encode(update));
    }

    static String putRaw(String json) {
        return put(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Puts a record on the stream's only shard; its sequence number. */
    static String put(byte[] data) {
        return engines.kinesisClient().putRecord(request -> request.streamName(STREAM).partitionKey("k")
                .data(SdkBytes.fromByteArray(data))).sequenceNumber();
    }

    void awaitName(String programId, String name) {
        await().atMost(Duration.ofSeconds(60)).until(() -> name.equals(name(programId)));
    }

    String name(String programId) {
        return redis.<String, String>opsForHash().get("program:{" + programId + "}", "programName");
    }

    /** The dead letters on the stream now, oldest first. */
    List<Map<Object, Object>> deadLetters() {
        return redis.opsForStream().range(DEAD_LETTERS, Range.unbounded()).stream().map(MapRecord::getValue)
                .toList();
    }
}
