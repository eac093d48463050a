package org.reactivetracking.model;

/**
 * Where a program lives in Redis: its hash under {@code <prefix>{<programId>}} and, after a deletion, a marker
 * under {@code <prefix>{<programId>}:deleted}. The braces are a Redis Cluster hash tag: both keys of a program hash
 * to the slot of its id, so the apply script, which touches both, runs in cluster mode too. Valid program ids hold
 * neither braces nor colons ({@link ProgramIds}), so no id's keys can be another id's.
 *
 * @param prefix the configured prefix, e.g. {@code program:}
 */
public record ProgramKeys(String prefix) {

    public ProgramKeys {
        if (prefix == null || prefix.isBlank() || prefix.contains("{") || prefix.contains("}")) {
            throw new IllegalArgumentException("the program key prefix must be non-empty and hold no braces (they"
                    + " would take the place of the program's hash tag), was '" + prefix + "'");
        }
    }

    /** The key of the program's hash. */
    public String hash(String programId) {
        return prefix + "{" + requireValid(programId) + "}";
    }

    /** The key that remembers the version of the program's deletion. */
    public String deletionMarker(String programId) {
        return hash(programId) + ":deleted";
    }

    /** A {@code SCAN MATCH} pattern that finds every program hash and deletion marker, and nothing else. */
    public String scanPattern() {
        return escapeGlob(prefix) + "{*}*";
    }

    private static String requireValid(String programId) {
        if (!ProgramIds.isValid(programId)) {
            throw new IllegalArgumentException(ProgramIds.violation(programId));
        }
        return programId;
    }

    private static String escapeGlob(String literal) {
        StringBuilder escaped = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if ("*?[]\\".indexOf(c) >= 0) {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
