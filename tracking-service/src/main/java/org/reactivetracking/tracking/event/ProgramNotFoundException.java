package org.reactivetracking.tracking.event;

/** No program is known under the requested id. */
public class ProgramNotFoundException extends RuntimeException {

    public ProgramNotFoundException(String programId) {
        super("no program " + programId);
    }
}
