package org.reactivetracking.engines;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * DynamoDB Local (AWS's own), in this JVM, on a loopback port. Its tables live in files under {@code dataDir}, so a
 * stop and start is an outage, not a loss of data.
 */
public final class DynamoDbEngine implements Engine {

    private final int port;
    private final Path dataDir;
    private DynamoDBProxyServer server;

    public DynamoDbEngine(int port, Path dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    @Override
    public String name() {
        return "dynamodb-local";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot create " + dataDir, ex);
        }
        try {
            DynamoDBProxyServer started = ServerRunner.createServerFromCommandLineArgs(new String[] {
                    "-port", String.valueOf(port), "-sharedDb", "-dbPath", dataDir.toString(),
                    "-disableTelemetry" });
            started.start();
            server = started;
        }
        catch (Exception ex) {
            throw new IllegalStateException("DynamoDB Local did not start on port " + port, ex);
        }
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            try {
                server.stop();
            }
            catch (Exception ex) {
                throw new IllegalStateException("DynamoDB Local did not stop", ex);
            }
            server = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }
}
