package org.reactivetracking.engines;

import java.net.URI;

/** An engine on a fixed loopback port that can be stopped and started again on the same port, as in an outage. */
public interface Engine extends AutoCloseable {

    String name();

    /** What runs, for log lines and benchmark reports: the name, and the version where it is pinned. */
    default String description() {
        return name();
    }

    int port();

    /** Starts the engine and returns once it answers; does nothing when it already runs. */
    void start();

    /** Stops the engine abruptly; {@link #start()} brings it back on the same port. */
    void stop();

    boolean isRunning();

    default URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    @Override
    default void close() {
        stop();
    }
}
