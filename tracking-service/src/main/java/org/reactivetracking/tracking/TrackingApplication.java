package org.reactivetracking.tracking;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.SmartLifecycle;

/** The public face of the system: tracks events for known programs and publishes them to Kinesis. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TrackingApplication {

    /**
     * The lifecycle phase of what starts with the connections and while the web server starts: after the Redis
     * connection factory (phase 0) and before the web server ({@code DEFAULT_PHASE - 2048}), so that readiness can
     * answer as soon as the server does, and stopped only once the server has stopped.
     */
    public static final int BEFORE_WEB_SERVER_PHASE = SmartLifecycle.DEFAULT_PHASE - 3072;

    public static void main(String[] args) {
        SpringApplication.run(TrackingApplication.class, args);
    }
}
