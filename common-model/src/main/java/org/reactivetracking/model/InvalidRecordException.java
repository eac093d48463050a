package org.reactivetracking.model;

/**
 * A record that can never be decoded into a valid model object, however often it is retried. Consumers send such
 * records to their dead-letter store instead of retrying them.
 */
public class InvalidRecordException extends RuntimeException {

    public InvalidRecordException(String message) {
        super(message);
    }

    public InvalidRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
