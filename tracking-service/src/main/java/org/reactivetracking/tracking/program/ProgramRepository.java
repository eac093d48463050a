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
    /** Keys checked and deleted at once by a purge under bare ids (one script call each). */
    private static final int PURGE_CONCURRENCY = 16;

    private final ReactiveStringRedisTemplate redis;
    private final TrackingProperties.Programs settings;
    private final ProgramKeys keys;
    private final RedisScript<Long> apply = RedisScript.of(ProgramHash.applyScript(), Long.class);
    private final RedisScript<Long> deleteIfProgram = RedisScript.of(ProgramHash.deleteIfProgramScript(), Long.class);

    ProgramRepository(ReactiveStringRedisTemplate redis, TrackingProperties properties) {
        this.redis = redis;
        this.settings = properties.programs();
        this.keys = new ProgramKeys(settings.keyPrefix());
    }

    /**
     * The program, or empty when Redis holds none under that id. Under bare ids, in a cache other applications
     * may share, a key of another type or a hash without {@code programId} is another application's: no program.
     */
    Mono<Program> find(String programId) {
        Mono<Map<String, String>> hash = redis.<String, String>opsForHash().entries(keys.hash(programId))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
        if (keys.bare()) {
            hash = hash.filter(ProgramHash::isProgram).onErrorResume(ProgramRepository::isWrongType,
                    ex -> Mono.empty());
        }
        return hash.filter(found -> !found.isEmpty()).map(ProgramHash::fromHash);
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

    /**
     * Removes every program and deletion marker, and tells every tracking instance to drop its cache. Under a
     * prefix, the keys' names say they are programs'; under bare ids each key that may be a program's is deleted
     * only if it is a program hash or a deletion marker (checked and deleted in one script), so the keys of other
     * applications sharing the cache stay.
     *
     * @return the number of keys deleted
     */
    Mono<Long> purge() {
        Flux<String> found = redis.scan(ScanOptions.scanOptions().match(keys.scanPattern()).count(500).build());
        Mono<Long> deleted = keys.bare()
                ? found.flatMap(this::deleteIfProgram, PURGE_CONCURRENCY).reduce(0L, Long::sum)
                : found.filter(key -> keys.kindOf(key) != ProgramKeys.Kind.OTHER).buffer(500)
                        .concatMap(batch -> redis.delete(batch.toArray(String[]::new))).reduce(0L, Long::sum);
        return deleted.flatMap(count -> redis.convertAndSend(settings.channel(), ALL_PROGRAMS).thenReturn(count));
    }

    private Mono<Long> deleteIfProgram(String key) {
        return switch (keys.kindOf(key)) {
            case CANDIDATE_HASH, HASH -> redis.execute(deleteIfProgram, List.of(key), List.of("hash")).single();
            case DELETION_MARKER -> redis.execute(deleteIfProgram, List.of(key), List.of("marker")).single();
            case OTHER -> Mono.just(0L);
        };
    }

    /** Redis's reply to a command on a key that holds another type. */
    private static boolean isWrongType(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().startsWith("WRONGTYPE")) {
                return true;
            }
        }
        return false;
    }
}
