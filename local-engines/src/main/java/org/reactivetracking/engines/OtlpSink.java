package org.reactivetracking.engines;

import com.google.protobuf.CodedInputStream;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's loopback OTLP/HTTP trace receiver ({@code bench/run.sh}), so the services export their sampled
 * spans as they would to the ADOT collector: {@code OtlpSink <port>} answers {@code POST /v1/traces} with 200 and
 * counts the requests and spans it was sent; {@code GET /stats} prints {@code exports=N spans=S} so far.
 * <p>
 * The spans are counted by walking the protobuf {@code ExportTraceServiceRequest} (field 1 resource spans, their
 * field 2 scope spans, their field 2 spans) without the OTLP classes, which this module does not carry.
 */
public final class OtlpSink {

    private static final AtomicLong exports = new AtomicLong();
    private static final AtomicLong spans = new AtomicLong();

    private OtlpSink() {
    }

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 64);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                spans.addAndGet(count(body.readAllBytes(), 1, 2, 2));
                exports.incrementAndGet();
            }
            catch (IOException | RuntimeException ex) {
                // a body that is not a trace request is still answered: the bench measures the sender, not us
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/stats", exchange -> {
            byte[] stats = ("exports=" + exports.get() + " spans=" + spans.get() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, stats.length);
            exchange.getResponseBody().write(stats);
            exchange.close();
        });
        server.start();
        System.out.println("otlp sink on " + server.getAddress());
    }

    /** How many messages lie at the end of the path of length-delimited fields {@code path} in {@code message}. */
    private static long count(byte[] message, int... path) throws IOException {
        if (path.length == 0) {
            return 1;
        }
        int[] rest = java.util.Arrays.copyOfRange(path, 1, path.length);
        CodedInputStream in = CodedInputStream.newInstance(message);
        long found = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag >>> 3 == path[0] && (tag & 7) == 2) {
                found += count(in.readByteArray(), rest);
            }
            else {
                in.skipField(tag);
            }
        }
        return found;
    }
}
