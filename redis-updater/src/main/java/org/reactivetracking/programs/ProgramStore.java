package org.reactivetracking.programs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.reactivetracking.kinesis.KinesisBatch;
import org.reactivetracking.model.ProgramHash;
import org.reactivetracking.model.ProgramKeys;
import org.reactivetracking.model.ProgramUpdate;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Programs in Redis, changed only through the version-checked apply script, plus the dead-letter stream. */
@Component
class ProgramStore {

    private final ReactiveStringRedisTemplate redis;
    private final ProgramUpdaterProperties settings;
    private final ProgramKeys keys;
    private final RedisScript<Long> apply = RedisScript.of(ProgramHash.applyScript(), Long.class);

    ProgramStore(ReactiveStringRedisTemplate redis, ProgramUpdaterProperties settings) {
        this.redis = redis;
        this.settings = settings;
        this.keys = new ProgramKeys(settings.keyPrefix());
    }

    /**
     * Applies the update atomically unless Redis holds a newer version of the program, and announces it.
     *
     * @return {@code true} when applied, {@code false} when it was older than what Redis holds
     */
    Mono<Boolean> apply(ProgramUpdate update) {
        String programId = update.program().programId();
        List<String> args = new ArrayList<>(List.of(String.valueOf(update.version()), update.deleted() ? "1" : "0",
                settings.channel(), programId, String.valueOf(Math.max(1, settings.deletionMarkerTtl().toSeconds()))));
        if (!update.deleted()) {
            ProgramHash.toHash(update.program(), update.version()).forEach((field, value) -> {
                args.add(field);
                args.add(value);
            });
        }
        return redis.execute(apply, List.of(keys.hash(programId), keys.deletionMarker(programId)), args).single()
                .map(applied -> applied == 1L);
    }

    /** Adds an update that can never be applied to the dead-letter stream. */
    Mono<Void> deadLetter(KinesisBatch.Record record, String error) {
        Map<String, String> fields = Map.of("stream", record.stream(), "shardId", record.shardId(),
                "sequenceNumber", record.sequenceNumber(), "data", Base64.getEncoder().encodeToString(record.data()),
                "error", error, "failedAt", Instant.now().toString());
        return redis.opsForStream().add(StreamRecords.string(fields).withStreamKey(settings.deadLetters())).then();
    }
}
