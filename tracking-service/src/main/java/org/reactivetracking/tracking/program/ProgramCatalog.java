package org.reactivetracking.tracking.program;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.RedisException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.util.concurrent.TimeoutException;
import org.reactivetracking.model.Program;
import org.reactivetracking.tracking.TrackingProperties;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Looks programs up: the in-process cache first, then Redis. Programs in the cache keep being served while Redis is
 * down; a lookup that needs Redis then fails with {@link ProgramStoreUnavailableException}, never "not found".
 * Entries are dropped when a change is announced on the change channel, and after the configured expiry.
 */
@Component
public class ProgramCatalog {

    private final ProgramRepository repository;
    private final Cache<String, Program> cache;

    ProgramCatalog(ProgramRepository repository, TrackingProperties properties, MeterRegistry meters) {
        this.repository = repository;
        this.cache = Caffeine.newBuilder().maximumSize(properties.programs().cacheMaximumSize())
                .expireAfterWrite(properties.programs().cacheExpiry()).recordStats().build();
        CaffeineCacheMetrics.monitor(meters, cache, "programs");
    }

    /** The program, or empty when it is unknown. */
    public Mono<Program> find(String programId) {
        Program cached = cache.getIfPresent(programId);
        if (cached != null) {
            return Mono.just(cached);
        }
        return repository.find(programId)
                .doOnNext(program -> cache.put(programId, program))
                .onErrorMap(ProgramCatalog::isRedisUnavailable,
                        ex -> new ProgramStoreUnavailableException("Redis is unavailable: " + ex.getMessage(), ex));
    }

    /** Spring's translated failures, and Lettuce's own while it is disconnected (commands rejected). */
    private static boolean isRedisUnavailable(Throwable error) {
        return error instanceof DataAccessException || error instanceof RedisException
                || error instanceof TimeoutException;
    }

    void evict(String programId) {
        if (ProgramRepository.ALL_PROGRAMS.equals(programId)) {
            cache.invalidateAll();
        }
        else {
            cache.invalidate(programId);
        }
    }
}
