package org.reactivetracking.programs;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reactivetracking.kinesis.KinesisBatch;
import org.reactivetracking.model.ProgramHash;
import org.reactivetracking.model.ProgramKeys;
import org.reactivetracking.model.ProgramUpdate;
import org.springframework.data.redis.connection.RedisStreamCommands;
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

    /** The most of a record a dead letter keeps: update records are small; a hostile one may hold 1 MiB. */
    static final int MAX_DEAD_LETTER_DATA = 64 * 1024;

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

    /**
     * Adds an update that can never be applied to the dead-letter stream, capped at
     * {@code programs.dead-letter-max-length} entries (the oldest go first). It keeps at most
     * {@value #MAX_DEAD_LETTER_DATA} bytes of the record (base64), with its full length and SHA-256 digest.
     */
    Mono<Void> deadLetter(KinesisBatch.Record record, String error) {
        byte[] data = record.data();
        boolean truncated = data.length > MAX_DEAD_LETTER_DATA;
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("stream", record.stream());
        fields.put("shardId", record.shardId());
        fields.put("sequenceNumber", record.sequenceNumber());
        if (record.subSequence() != null) {
            // a user record of an aggregated record: its place in it
            fields.put("subSequenceNumber", String.valueOf(record.subSequence()));
        }
        fields.put("data", Base64.getEncoder().encodeToString(truncated ? Arrays.copyOf(data, MAX_DEAD_LETTER_DATA)
                : data));
        fields.put("dataLength", String.valueOf(data.length));
        fields.put("dataSha256", sha256(data));
        fields.put("dataTruncated", String.valueOf(truncated));
        fields.put("error", error);
        fields.put("failedAt", Instant.now().toString());
        return redis.opsForStream().add(StreamRecords.string(fields).withStreamKey(settings.deadLetters()),
                RedisStreamCommands.XAddOptions.maxlen(settings.deadLetterMaxLength())).then();
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", ex);
        }
    }
}
