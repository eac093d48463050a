package org.reactivetracking.system;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/** The JDK's HTTP server on a free loopback port, for the stand-ins of what a service sends outside the machine. */
final class LoopbackHttpServer {

    private LoopbackHttpServer() {
    }

    /** A started server that gives every request under {@code path} to {@code handler}. */
    static HttpServer start(String path, HttpHandler handler) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        server.createContext(path, handler);
        server.start();
        return server;
    }
}
