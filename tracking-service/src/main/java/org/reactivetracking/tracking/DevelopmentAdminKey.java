package org.reactivetracking.tracking;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The admin key docker-compose.yml gives the service when {@code .env} sets none, so that a bare
 * {@code docker compose up} works. It is published with this repository, so it guards nothing: the service warns
 * at start when its key is this one, and refuses to start with it where {@code ENVIRONMENT} names anything but
 * {@code local} (unset counts as {@code local}, as in the metrics' environment tag).
 */
@Component
public class DevelopmentAdminKey {

    /** The well-known development key; docker-compose.yml's default for {@code TRACKING_ADMIN_API_KEY}. */
    public static final String VALUE = "local-development-admin-key-not-a-secret";

    /** The environment variable that names the environment (also the metrics' {@code environment} tag). */
    static final String ENVIRONMENT = "ENVIRONMENT";

    private static final String LOCAL = "local";
    private static final Logger log = LoggerFactory.getLogger(DevelopmentAdminKey.class);

    DevelopmentAdminKey(TrackingProperties properties, Environment environment) {
        check(properties.admin().apiKey(), environment.getProperty(ENVIRONMENT));
    }

    /**
     * Warns about the development key in a local environment, refuses it in any other.
     *
     * @param environment the value of {@code ENVIRONMENT}, or {@code null} when unset
     * @throws IllegalStateException naming both settings when the development key is used outside {@code local}
     */
    static void check(String apiKey, String environment) {
        if (!VALUE.equals(apiKey)) {
            return;
        }
        if (environment != null && !LOCAL.equals(environment)) {
            throw new IllegalStateException("TRACKING_ADMIN_API_KEY is the published development key, which is"
                    + " refused where ENVIRONMENT is not 'local' (ENVIRONMENT='" + environment + "'): set"
                    + " TRACKING_ADMIN_API_KEY to a secret of your own");
        }
        log.warn("TRACKING_ADMIN_API_KEY is the published development key '{}': anyone can use the admin API of this"
                + " instance. Fine on a developer's machine; set a key of your own in .env (see .env.example). It is"
                + " refused where ENVIRONMENT is set to anything but 'local'.", VALUE);
    }
}
