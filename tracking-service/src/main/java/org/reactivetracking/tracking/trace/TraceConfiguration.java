package org.reactivetracking.tracking.trace;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TraceConfiguration {

    /** Spring Boot applies every predicate bean to the observation registry. */
    @Bean
    ObservationPredicate noObservationsUnderUnsampledRequests() {
        return new UnsampledRequestPredicate();
    }
}
