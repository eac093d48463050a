package org.reactivetracking.model;

import java.util.Objects;

/**
 * A change to a program, carried as JSON on the program-update stream and applied to Redis by the redis-updater.
 *
 * @param program     the program's new state (for a deletion only its id matters)
 * @param version     monotonically increasing version; an update older than the stored one is ignored. Records
 *                    of older producers carry none and count as version 0
 * @param deleted     {@code true} when the program is to be removed
 * @param traceHeader trace context of the request that made the change, empty when there was none
 */
public record ProgramUpdate(Program program, long version, boolean deleted, String traceHeader) {

    public ProgramUpdate {
        Objects.requireNonNull(program, "program");
        traceHeader = Objects.requireNonNullElse(traceHeader, "");
    }

    public static ProgramUpdate upsert(Program program, long version, String traceHeader) {
        return new ProgramUpdate(program, version, false, traceHeader);
    }

    public static ProgramUpdate deletion(String programId, long version, String traceHeader) {
        return new ProgramUpdate(new Program(programId, "", "", 0, "", false), version, true, traceHeader);
    }
}
