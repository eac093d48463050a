package org.reactivetracking.tracking;

/**
 * A request the client got wrong (a malformed query parameter, a refused redirect, an allow-list entry breaking the
 * rule): answered {@code 400} with problem details carrying the title and the reason, before anything is recorded.
 */
public class InvalidRequestException extends RuntimeException {

    private final String title;

    /**
     * @param title  the problem's title, the same for every request with this mistake
     * @param reason what is wrong; it must not echo the client's input at length
     */
    public InvalidRequestException(String title, String reason) {
        super(reason);
        this.title = title;
    }

    public String title() {
        return title;
    }
}
