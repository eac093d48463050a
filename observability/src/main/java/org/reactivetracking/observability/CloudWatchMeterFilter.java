package org.reactivetracking.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.List;

/**
 * Keeps only the meters an operator of this system needs in CloudWatch, where every name and tag combination is a
 * billed custom metric: HTTP server timings, JVM memory and GC, the program cache, and the domain meters of the three
 * services (events accepted, published and rejected, publisher batches and buffer, events written, dead letters,
 * stale updates, lag). Everything else stays visible on {@code /actuator/metrics} but is not exported.
 */
public final class CloudWatchMeterFilter implements MeterFilter {

    /** Exported meter names: exact names, or prefixes ending in '.'. */
    public static final List<String> EXPORTED = List.of(
            "http.server.requests",
            "jvm.memory.used", "jvm.memory.max", "jvm.gc.pause",
            "cache.gets", "cache.size", "cache.evictions",
            "tracking.", "eventstore.", "programs.");

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        String name = id.getName();
        boolean exported = EXPORTED.stream()
                .anyMatch(allowed -> allowed.endsWith(".") ? name.startsWith(allowed) : name.equals(allowed));
        return exported ? MeterFilterReply.NEUTRAL : MeterFilterReply.DENY;
    }
}
