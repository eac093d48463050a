package org.reactivetracking.engines;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the engines for {@code ./run.sh} until this process is stopped: Redis, kinesis-mock and dynalite on the
 * ports in {@code REDIS_PORT} (6379), {@code KINESIS_PORT} (4567) and {@code DYNAMODB_PORT} (8000), with the streams
 * named in {@code EVENT_STREAM} (tracking-events) and {@code UPDATE_STREAM} (program-updates) created.
 * Prints {@code engines ready: <engine> <version> :<port>, ...} once everything answers.
 */
public final class LocalEnginesMain {

    private LocalEnginesMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        LocalEngines engines = new LocalEngines(port("REDIS_PORT", 6379), port("KINESIS_PORT", 4567),
                port("DYNAMODB_PORT", 8000));
        engines.redis();
        engines.dynamoDb();
        engines.ensureStream(env("EVENT_STREAM", "tracking-events"), 1);
        engines.ensureStream(env("UPDATE_STREAM", "program-updates"), 1);
        System.out.println("engines ready: " + engines.describe());
        new CountDownLatch(1).await();
    }

    private static int port(String name, int fallback) {
        String value = env(name, String.valueOf(fallback));
        try {
            return Integer.parseInt(value);
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException(name + " must be a port number, was '" + value + "'", ex);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
