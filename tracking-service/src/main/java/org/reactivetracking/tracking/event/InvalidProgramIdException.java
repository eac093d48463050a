package org.reactivetracking.tracking.event;

/** A program id outside the allowed length or character set. */
public class InvalidProgramIdException extends RuntimeException {

    public InvalidProgramIdException(String programId) {
        super("program id must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-'"
                + (programId == null ? "" : ", was " + programId.length() + " characters"));
    }
}
