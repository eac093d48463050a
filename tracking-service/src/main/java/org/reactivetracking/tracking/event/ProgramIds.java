package org.reactivetracking.tracking.event;

import java.util.regex.Pattern;

/** What a program id may look like: 1 to 64 letters, digits, '.', '_' or '-'. */
public final class ProgramIds {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private ProgramIds() {
    }

    /**
     * @return the id, when valid
     * @throws InvalidProgramIdException otherwise
     */
    public static String require(String programId) {
        if (programId == null || !VALID.matcher(programId).matches()) {
            throw new InvalidProgramIdException(programId);
        }
        return programId;
    }
}
