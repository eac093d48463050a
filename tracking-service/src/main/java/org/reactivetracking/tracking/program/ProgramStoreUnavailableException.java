package org.reactivetracking.tracking.program;

/** Redis could not be asked: the answer is "try again", never "unknown program". */
public class ProgramStoreUnavailableException extends RuntimeException {

    public ProgramStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
