package org.reactivetracking.model;

import java.util.List;
import java.util.Objects;

/**
 * An advertising program that can be tracked: what the tracking service looks up for every event.
 *
 * @param programId    the id used in {@code GET /event/{programId}}
 * @param programName  display name
 * @param checksum     opaque checksum of the program's creative, copied into every event
 * @param customerId   the customer who owns the program
 * @param customerName the customer's display name
 * @param valid             whether the program is currently valid
 * @param redirectAllowList where {@code GET /click/{programId}} may redirect: entries in the form of
 *                          {@link RedirectRule#canonicalEntry(String)}; empty (also for records and hashes written
 *                          before the field existed) allows no redirect
 */
public record Program(String programId, String programName, String checksum, int customerId, String customerName,
        boolean valid, List<String> redirectAllowList) {

    public Program {
        Objects.requireNonNull(programId, "programId");
        programName = Objects.requireNonNullElse(programName, "");
        checksum = Objects.requireNonNullElse(checksum, "");
        customerName = Objects.requireNonNullElse(customerName, "");
        redirectAllowList = redirectAllowList == null ? List.of() : List.copyOf(redirectAllowList);
    }

    /** A program that allows no redirect. */
    public Program(String programId, String programName, String checksum, int customerId, String customerName,
            boolean valid) {
        this(programId, programName, checksum, customerId, customerName, valid, List.of());
    }
}
