package org.reactivetracking.tracking.trace;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;

/**
 * No observation is made under a request whose trace is not sampled (say, Lettuce's Redis command on a cache miss):
 * its span would be recorded nowhere, and most requests are not sampled. The request's own observation (the HTTP
 * server's, which gives {@code http.server.requests}) has no parent and is always made.
 */
final class UnsampledRequestPredicate implements ObservationPredicate {

    @Override
    public boolean test(String name, Observation.Context context) {
        Observation.ContextView parent = context.getParentObservation() == null ? null
                : context.getParentObservation().getContextView();
        if (parent == null) {
            return true;
        }
        var span = RequestSpan.spanOf(parent);
        return span == null || RequestSpan.sampled(span);
    }
}
