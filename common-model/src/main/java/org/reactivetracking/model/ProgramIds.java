package org.reactivetracking.model;

import java.util.regex.Pattern;

/**
 * The one rule for program ids, applied wherever an id enters the system: the public API's path, the admin API,
 * the program-update codec and both consumers. An id is 1 to 64 ASCII letters, digits, '.', '_' or '-', starting
 * with a letter or digit. It can therefore never hold the characters of the Redis key layout ({@code :}, braces)
 * nor be a path segment such as {@code ..}, and it is the same string in every encoding.
 */
public final class ProgramIds {

    /** The rule, for messages. */
    public static final String RULE = "1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-', starting with a letter"
            + " or digit";

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private ProgramIds() {
    }

    public static boolean isValid(String programId) {
        return programId != null && VALID.matcher(programId).matches();
    }

    /** Why an id is refused: the rule, and the id itself only when it is short and printable. */
    public static String violation(String programId) {
        if (programId == null) {
            return "program id missing; it must be " + RULE;
        }
        boolean printable = programId.length() <= 64 && programId.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        return "program id must be " + RULE + (printable ? ", was '" + programId + "'"
                : ", was " + programId.length() + " characters");
    }
}
