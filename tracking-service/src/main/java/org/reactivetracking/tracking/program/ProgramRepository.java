package org.reactivetracking.tracking.program;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.ProgramHash;
import org.reactivetracking.model.ProgramKeys;
import org.reactivetracking.tracking.TrackingProperties;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Programs in Redis: one hash per program, in the layout of {@link ProgramHash}, under {@link ProgramKeys}. */
@Repository
class ProgramRepository {

    /** Announced on the change channel when every program changed at once (a purge). */
    static final String ALL_PROGRAMS = "*";

    private final ReactiveStringRedisTemplate redis;
    private final TrackingProperties.Programs settings;
    private final ProgramKeys keys;
    private final RedisScript<Long> apply = RedisScript.of(ProgramHash.applyScript(), Long.class);

    ProgramRepository(ReactiveStringRedisTemplate redis, TrackingProperties properties) {
        this.redis = redis;
        this.settings = properties.programs();
        this.keys = new ProgramKeys(settings.keyPrefix());
    }

    /** The program, or empty when Redis holds none under that id. */
    Mono<Program> find(String programId) {
        return redis.<String, String>opsForHash().entries(keys.hash(programId))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .filter(hash -> !hash.isEmpty())
                .map(ProgramHash::fromHash);
    }

    /**
     * Writes a program at {@code version} unless Redis holds a newer version, and announces it.
     *
     * @return {@code true} when written
     */
    Mono<Boolean> save(Program program, long version) {
        List<String> args = new ArrayList<>(List.of(String.valueOf(version), "0", settings.channel(),
                program.programId(), "0"));
        ProgramHash.toHash(program, version).forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        String programId = program.programId();
        return redis.execute(apply, List.of(keys.hash(programId), keys.deletionMarker(programId)), args).single()
                .map(applied -> applied == 1L);
    }

    /** Removes every program and deletion marker, and tells every tracking instance to drop its cache. */
    Mono<Long> purge() {
        Flux<String> programKeys = redis.scan(ScanOptions.scanOptions().match(keys.scanPattern()).count(500).build());
        return programKeys.buffer(500).concatMap(batch -> redis.delete(batch.toArray(String[]::new)))
                .reduce(0L, Long::sum)
                .flatMap(deleted -> redis.convertAndSend(settings.channel(), ALL_PROGRAMS).thenReturn(deleted));
    }
}
