package org.reactivetracking.system;

import com.sun.net.httpserver.HttpServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A CloudWatch endpoint on loopback that keeps the operation of every request it is sent (the request's path, its
 * {@code X-Amz-Target} and its body as text: the SDK names the operation in one of them, whichever protocol it
 * speaks) and answers each with an empty 200. The service's registry publishes on close, so a stopped service has
 * sent its last {@code PutMetricData} here.
 */
final class CloudWatchReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    CloudWatchReceiver() {
        server = LoopbackHttpServer.start("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
            requests.add(exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("X-Amz-Target") + " " + body);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The requests received so far, in order: path, target and body, separated by spaces. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
