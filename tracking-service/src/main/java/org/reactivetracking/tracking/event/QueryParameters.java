package org.reactivetracking.tracking.event;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.reactivetracking.tracking.InvalidRequestException;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Reads a query parameter that may be given at most once: given twice, it is refused rather than one of the values
 * picked (or both joined, as Spring's binding of a {@code String} would). Given without a value, it is empty.
 */
final class QueryParameters {

    private QueryParameters() {
    }

    static Optional<String> single(ServerHttpRequest request, String name) {
        List<String> values = request.getQueryParams().get(name);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw new InvalidRequestException("Invalid query parameter",
                    "query parameter '" + name + "' given " + values.size() + " times; give it at most once");
        }
        // a name without '=' ("?u") has no value: as good as an empty one
        return Optional.of(Objects.requireNonNullElse(values.get(0), ""));
    }
}
