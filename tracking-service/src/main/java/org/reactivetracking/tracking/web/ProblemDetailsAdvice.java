package org.reactivetracking.tracking.web;

import io.lettuce.core.RedisException;
import java.time.Duration;
import org.reactivetracking.tracking.InvalidRequestException;
import org.reactivetracking.tracking.event.InvalidProgramIdException;
import org.reactivetracking.tracking.event.ProgramNotFoundException;
import org.reactivetracking.tracking.program.ProgramStoreUnavailableException;
import org.reactivetracking.tracking.publish.PublishRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every failure a client can meet, as RFC 9457 problem details. Bodies never carry the text of an internal failure
 * (Redis, AWS): that goes to the log. It answers the router functions' signalled failures too: WebFlux's dispatcher
 * hands every handler's failure to the dispatch exception handlers, this advice among them.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
    private static final Duration REDIS_RETRY_AFTER = Duration.ofSeconds(1);

    @ExceptionHandler
    ResponseEntity<ProblemDetail> invalidProgramId(InvalidProgramIdException ex) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid program id", ex.getMessage(), null);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> invalidRequest(InvalidRequestException ex) {
        return problem(HttpStatus.BAD_REQUEST, ex.title(), ex.getMessage(), null);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unknownProgram(ProgramNotFoundException ex) {
        log.debug("Not tracked: {}", ex.getMessage());
        return problem(HttpStatus.NOT_FOUND, "Unknown program", ex.getMessage(), null);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> programStoreDown(ProgramStoreUnavailableException ex) {
        log.debug("Program lookup failed", ex);
        ResponseEntity<ProblemDetail> response = problem(HttpStatus.SERVICE_UNAVAILABLE, "Program store unavailable",
                "programs cannot be looked up right now; retry later", REDIS_RETRY_AFTER);
        // nothing was published: a tracking route's event is not on the stream
        response.getBody().setProperty("recorded", "no");
        return response;
    }

    /** Redis failed during an admin request (seed, purge). */
    @ExceptionHandler({ DataAccessException.class, RedisException.class })
    ResponseEntity<ProblemDetail> programStoreFailed(Exception ex) {
        log.warn("Program store request failed: {}", ex.toString());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Program store unavailable",
                "programs cannot be changed right now; retry later", REDIS_RETRY_AFTER);
    }

    /** Anything else is our bug, not the client's: logged in full, answered without internals. */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> unexpected(Exception ex) {
        log.error("Request failed unexpectedly", ex);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "the request could not be completed",
                null);
    }

    /**
     * Tells the client whether the event is on the stream and what to do; the cause (which may name the account,
     * stream and shard) goes to the log only.
     */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> notPublished(PublishRejectedException ex) {
        log.debug("Not tracked ({}): {}", ex.outcome(), ex.getMessage());
        boolean unknown = ex.outcome() == PublishRejectedException.Outcome.UNKNOWN;
        ResponseEntity<ProblemDetail> response;
        if (ex.retryAfter() == null) {
            response = problem(HttpStatus.CONTENT_TOO_LARGE, "Event too large",
                    "The event is larger than a stream record may be and was not recorded. Retrying will not help.",
                    null);
        }
        else {
            long seconds = Math.max(1, ex.retryAfter().toSeconds());
            response = problem(HttpStatus.SERVICE_UNAVAILABLE, "Event not accepted", unknown
                    ? "The event may not have been recorded. Retry after " + seconds
                            + " s; if it was recorded, the retry records it a second time."
                    : "The event was not recorded. Retry after " + seconds + " s.", ex.retryAfter());
        }
        response.getBody().setProperty("recorded", unknown ? "unknown" : "no");
        return response;
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail,
            Duration retryAfter) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        var response = ResponseEntity.status(status);
        if (retryAfter != null) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, retryAfter.toSeconds())));
        }
        return response.body(problem);
    }
}
