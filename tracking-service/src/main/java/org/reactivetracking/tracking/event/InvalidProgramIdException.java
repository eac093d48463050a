package org.reactivetracking.tracking.event;

import org.reactivetracking.model.ProgramIds;

/** A program id that breaks the id rule ({@link ProgramIds}). */
public class InvalidProgramIdException extends RuntimeException {

    private InvalidProgramIdException(String message) {
        super(message);
    }

    /**
     * @return the id, when it follows the rule
     * @throws InvalidProgramIdException otherwise
     */
    public static String requireValid(String programId) {
        if (!ProgramIds.isValid(programId)) {
            throw new InvalidProgramIdException(ProgramIds.violation(programId));
        }
        return programId;
    }
}
