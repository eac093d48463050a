package org.reactivetracking.tracking.program;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.ProgramUpdate;
import org.reactivetracking.model.ProgramUpdateCodec;
import org.reactivetracking.model.RedirectRule;
import org.reactivetracking.observability.TraceHeaders;
import org.reactivetracking.tracking.InvalidRequestException;
import org.reactivetracking.tracking.event.InvalidProgramIdException;
import org.reactivetracking.tracking.publish.RecordPublisher;
import org.reactivetracking.tracking.trace.RequestSpan;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The admin API (never routed publicly by the load balancer; like every route not marked
 * {@link org.reactivetracking.tracking.PublicRoute}, it needs the admin key): seeds and purges the programs in Redis,
 * and publishes program changes to the update stream, from which the redis-updater applies them.
 */
@RestController
class ProgramAdminController {

    private final ProgramRepository repository;
    private final ProgramCatalog catalog;
    private final RecordPublisher updates;
    private final List<Program> samples;
    private final TraceHeaders traces;

    ProgramAdminController(ProgramRepository repository, ProgramCatalog catalog,
            @Qualifier("updates") RecordPublisher updates, SamplePrograms samples, TraceHeaders traces) {
        this.repository = repository;
        this.catalog = catalog;
        this.updates = updates;
        this.samples = samples.programs();
        this.traces = traces;
    }

    /** Seeds the bundled sample programs, or those in the body; programs Redis holds in a newer version stay. */
    @PostMapping("/cache/fill")
    Mono<Map<String, Object>> fill(@RequestBody(required = false) List<@Valid @NotNull ProgramRequest> programs) {
        List<Program> toSeed = programs == null || programs.isEmpty() ? samples
                : programs.stream().map(request -> request.toProgram(InvalidProgramIdException.requireValid(request.programId())))
                        .toList();
        return Flux.fromIterable(toSeed).concatMap(program -> repository.save(program, 0)).filter(Boolean::booleanValue)
                .count().map(seeded -> Map.of("seeded", seeded, "programIds",
                        toSeed.stream().map(Program::programId).toList()));
    }

    /**
     * Every instance drops its cache when it hears the purge on the change channel; this one drops its own before
     * answering, so a lookup it serves after the answer never finds a purged program.
     */
    @PostMapping("/cache/purge")
    Mono<Map<String, Long>> purge() {
        return repository.purge().doOnNext(deleted -> catalog.evict(ProgramRepository.ALL_PROGRAMS))
                .map(deleted -> Map.of("deletedKeys", deleted));
    }

    @PutMapping("/programs/{programId}")
    Mono<ResponseEntity<Map<String, Object>>> put(@PathVariable String programId,
            @Valid @RequestBody ProgramRequest request, @RequestHeader(name = "X-Amzn-Trace-Id", required = false)
            String trace) {
        Program program = request.toProgram(InvalidProgramIdException.requireValid(programId));
        return Mono.deferContextual(context -> publish(ProgramUpdate.upsert(program, version(),
                traces.ofOr(RequestSpan.of(context), trace))));
    }

    @DeleteMapping("/programs/{programId}")
    Mono<ResponseEntity<Map<String, Object>>> delete(@PathVariable String programId,
            @RequestHeader(name = "X-Amzn-Trace-Id", required = false) String trace) {
        String id = InvalidProgramIdException.requireValid(programId);
        // the request's span is in the Reactor context, not in a thread-local
        return Mono.deferContextual(context -> publish(ProgramUpdate.deletion(id, version(),
                traces.ofOr(RequestSpan.of(context), trace))));
    }

    private Mono<ResponseEntity<Map<String, Object>>> publish(ProgramUpdate update) {
        return updates.publish(update.program().programId(), ProgramUpdateCodec.encode(update))
                .thenReturn(ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of(
                        "programId", update.program().programId(), "version", update.version(),
                        "deleted", update.deleted())));
    }

    /** Update time in microseconds: later changes carry higher versions, across instances as far as clocks agree. */
    private static long version() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /**
     * A program as the admin API takes it. {@code programId} is read only from bodies of {@code /cache/fill}; for
     * {@code PUT /programs/{programId}} the path names the program. {@code redirectAllowList} is optional (absent:
     * no redirect allowed); each entry must follow {@link RedirectRule} and is stored in canonical form.
     */
    record ProgramRequest(String programId, @NotBlank @Size(max = 256) String programName,
            @NotNull @Size(max = 256) String checksum, @NotNull @Min(0) Integer customerId,
            @NotBlank @Size(max = 256) String customerName, @NotNull Boolean valid,
            @Size(max = RedirectRule.MAX_ENTRIES) List<@NotNull String> redirectAllowList) {

        Program toProgram(String id) {
            List<String> allowList = new ArrayList<>();
            for (String entry : redirectAllowList == null ? List.<String>of() : redirectAllowList) {
                try {
                    allowList.add(RedirectRule.canonicalEntry(entry));
                }
                catch (IllegalArgumentException ex) {
                    throw new InvalidRequestException("Invalid redirect allow-list", ex.getMessage());
                }
            }
            return new Program(id, programName, checksum, customerId, customerName, valid, allowList);
        }
    }
}
