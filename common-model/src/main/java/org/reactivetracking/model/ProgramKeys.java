package org.reactivetracking.model;

/**
 * Where a program lives in Redis. With a prefix, its hash is under {@code <prefix>{<programId>}}; with an empty
 * prefix (the layout of AWS's reactive reference architecture, which this system can adopt in place) it is under
 * the bare id. After a deletion, a marker remembers it under {@code <prefix>{<programId>}:deleted} in both layouts.
 * <p>
 * The braces are a Redis Cluster hash tag: a key without braces hashes whole, so the bare id and
 * {@code {<id>}:deleted} share the id's slot, as {@code <prefix>{<id>}} and its marker do; the apply script, which
 * touches both keys, therefore runs in cluster mode too. Valid program ids hold neither braces nor colons
 * ({@link ProgramIds}), so no id's keys can be another id's, and a marker is never a bare id.
 *
 * @param prefix the configured prefix, e.g. {@code program:}, or empty for bare ids
 */
public record ProgramKeys(String prefix) {

    /**
     * What a prefix may be, as a regular expression for settings: empty, or a text that is not blank and holds no
     * braces (they would take the place of the program's hash tag).
     */
    public static final String PREFIX_RULE = "|[^{}]*[^{}\\s][^{}]*";
    /** Why a prefix breaks {@link #PREFIX_RULE}, for settings. */
    public static final String PREFIX_RULE_MESSAGE = "must be empty (programs under their bare ids) or a non-blank"
            + " text without braces";

    private static final String MARKER_SUFFIX = ":deleted";

    /** What a key found with {@link #scanPattern()} is to this layout. */
    public enum Kind {
        /** A program hash, by its name alone: the key is in this layout's own prefix. */
        HASH,
        /**
         * A bare id (empty prefix only): a program hash only if Redis holds a hash with a {@code programId} field
         * there. Where the cache is shared, other applications' keys may look like ids too.
         */
        CANDIDATE_HASH,
        /** The deletion marker of a program. */
        DELETION_MARKER,
        /** Not a key of this layout. */
        OTHER
    }

    public ProgramKeys {
        if (prefix == null || !prefix.matches(PREFIX_RULE)) {
            throw new IllegalArgumentException("the program key prefix " + PREFIX_RULE_MESSAGE + " (braces would take"
                    + " the place of the program's hash tag), was '" + prefix + "'");
        }
    }

    /** Whether programs are kept under their bare ids (an empty prefix). */
    public boolean bare() {
        return prefix.isEmpty();
    }

    /** The key of the program's hash. */
    public String hash(String programId) {
        requireValid(programId);
        return bare() ? programId : prefix + "{" + programId + "}";
    }

    /** The key that remembers the version of the program's deletion; in the slot of the program's hash. */
    public String deletionMarker(String programId) {
        return prefix + "{" + requireValid(programId) + "}" + MARKER_SUFFIX;
    }

    /**
     * A {@code SCAN MATCH} pattern that finds every program hash and deletion marker. With a prefix it finds
     * nothing else; with bare ids it matches every key, and {@link #kindOf(String)} tells them apart.
     */
    public String scanPattern() {
        return bare() ? "*" : escapeGlob(prefix) + "{*}*";
    }

    /** What {@code key} is to this layout. */
    public Kind kindOf(String key) {
        if (key == null || !key.startsWith(prefix)) {
            return Kind.OTHER;
        }
        String rest = key.substring(prefix.length());
        if (rest.startsWith("{") && rest.endsWith("}" + MARKER_SUFFIX)) {
            return ProgramIds.isValid(rest.substring(1, rest.length() - MARKER_SUFFIX.length() - 1))
                    ? Kind.DELETION_MARKER : Kind.OTHER;
        }
        if (bare()) {
            return ProgramIds.isValid(rest) ? Kind.CANDIDATE_HASH : Kind.OTHER;
        }
        return rest.startsWith("{") && rest.endsWith("}") && ProgramIds.isValid(rest.substring(1, rest.length() - 1))
                ? Kind.HASH : Kind.OTHER;
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
