package org.reactivetracking.tracking.event;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.reactivetracking.tracking.InvalidRequestException;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The message id of a tracked event: the client's {@code eid} query parameter when it gives one, so that a retried
 * request carries the same id (and the event store, keyed by message id, keeps one item), else a random UUID. An
 * {@code eid} must be a UUID in its canonical 8-4-4-4-12 hexadecimal form; it is used in lower case, so two
 * spellings of one UUID are one event.
 */
final class EventIds {

    static final String PARAMETER = "eid";
    private static final Pattern UUID_FORM = Pattern.compile(
            "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}");

    private EventIds() {
    }

    /** @throws InvalidRequestException when {@code eid} is given but is not a UUID, or is given twice */
    static String of(ServerHttpRequest request) {
        return QueryParameters.single(request, PARAMETER).map(EventIds::requireUuid)
                .orElseGet(() -> UUID.randomUUID().toString());
    }

    private static String requireUuid(String eid) {
        if (!UUID_FORM.matcher(eid).matches()) {
            throw new InvalidRequestException("Invalid event id",
                    "query parameter 'eid' must be a UUID (8-4-4-4-12 hexadecimal digits)");
        }
        return eid.toLowerCase(Locale.ROOT);
    }
}
