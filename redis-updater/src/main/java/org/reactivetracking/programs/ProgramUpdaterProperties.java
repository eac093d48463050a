package org.reactivetracking.programs;

import java.time.Duration;
import org.reactivetracking.kinesis.Settings;
import org.reactivetracking.model.ProgramKeys;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the redis-updater, under {@code programs.*} (environment: {@code PROGRAMS_*}). The Redis connection
 * itself (host, TLS, AUTH token or user/password, cluster nodes) is Spring Boot's {@code spring.data.redis.*}.
 *
 * @param keyPrefix         prefix of the Redis keys of each program: its hash is the prefix and the id in
 *                          braces, as in program:{212313} (common-model's ProgramKeys); empty to keep the
 *                          programs under their bare ids, where AWS's reference architecture keeps them. The same
 *                          as the tracking service's
 * @param channel           pub/sub channel on which applied changes are announced to the tracking instances
 * @param deletionMarkerTtl how long a deletion is remembered, so an older update replayed later cannot bring the
 *                          program back; longer than the stream's retention
 * @param deadLetters       Redis stream that updates which can never be applied are added to, with the reason
 * @param deadLetterMaxLength the most entries the dead-letter stream keeps; the oldest are trimmed first
 * @param initialBackoff    first wait after Redis failed; doubles, with jitter, up to maxBackoff
 * @param maxBackoff        longest wait between attempts; an update is retried until Redis takes it or refuses
 *                          it for good
 */
@ConfigurationProperties("programs")
public record ProgramUpdaterProperties(@DefaultValue("program:") String keyPrefix,
        @DefaultValue("program-changes") String channel, @DefaultValue("8d") Duration deletionMarkerTtl,
        @DefaultValue("program-updates:dead-letters") String deadLetters,
        @DefaultValue("100000") long deadLetterMaxLength, @DefaultValue("50ms") Duration initialBackoff,
        @DefaultValue("5s") Duration maxBackoff) {

    public ProgramUpdaterProperties {
        try {
            new ProgramKeys(keyPrefix);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("programs.key-prefix: " + ex.getMessage(), ex);
        }
        Settings.text(channel, "programs.channel");
        Settings.positive(deletionMarkerTtl, "programs.deletion-marker-ttl");
        Settings.text(deadLetters, "programs.dead-letters");
        Settings.between(deadLetterMaxLength, 1, Long.MAX_VALUE, "programs.dead-letter-max-length");
        Settings.positive(initialBackoff, "programs.initial-backoff");
        Settings.positive(maxBackoff, "programs.max-backoff");
    }
}
