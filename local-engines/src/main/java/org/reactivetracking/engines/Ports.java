package org.reactivetracking.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/** Loopback port helpers. */
public final class Ports {

    /** Where the kernel hands out ports for outgoing connections and {@code bind(0)}, when it does not say. */
    private static final int[] DEFAULT_EPHEMERAL_RANGE = { 32768, 60999 };
    /** Ports below this are left to well-known services. */
    private static final int LOWEST = 10_000;

    /**
     * Every port {@link #free()} has handed out in this JVM: a port is free until its engine binds it, so two calls
     * in a row (the three engines of one set) could otherwise both return it, and the second engine fails to start.
     */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /**
     * A port that was free on loopback a moment ago, chosen below the kernel's ephemeral range: a port taken from
     * that range can be handed to an outgoing connection or another {@code bind(0)} before the engine binds it,
     * and the engine then fails to start. Never the same port twice in one JVM.
     */
    public static int free() {
        int below = ephemeralRange()[0];
        int span = below - LOWEST;
        if (span < 1_000) {
            return kernelAssigned();
        }
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = LOWEST + ThreadLocalRandom.current().nextInt(span);
            if (!HANDED_OUT.contains(port) && canBind(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port between " + LOWEST + " and " + below);
    }

    static int[] ephemeralRange() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
            String[] bounds = range.trim().split("\\s+");
            return new int[] { Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1]) };
        }
        catch (IOException | RuntimeException ex) {
            return DEFAULT_EPHEMERAL_RANGE;
        }
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    private static int kernelAssigned() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            HANDED_OUT.add(socket.getLocalPort());
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("no free loopback port", ex);
        }
    }

    public static boolean isOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    /** Polls {@code ready} until it holds; fails naming {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier ready) {
        Instant deadline = Instant.now().plus(timeout);
        while (!ready.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(what + " did not become ready within " + timeout);
            }
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, ex);
            }
        }
    }
}
