package org.reactivetracking.tracking;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 over a plain socket, one connection per request (or several requests on one kept-alive connection,
 * {@link #keepAlive()}): the request target and headers go out byte for byte as given, never normalised or re-encoded
 * by a client library.
 */
final class RawHttp {

    private final int port;

    RawHttp(int port) {
        this.port = port;
    }

    /**
     * @param headers header lines ({@code "Name: value"}); {@code Host}, {@code Connection: close} and, with a body,
     *                {@code Content-Length} are added
     */
    Response send(String method, String target, List<String> headers, byte[] body) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            // read while writing: a server that answers before the whole body is sent may close the connection,
            // and what it answered must not be lost to a reset
            InputStream in = socket.getInputStream();
            CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(() -> readAll(in));
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: localhost\r\nConnection: close\r\n");
            headers.forEach(line -> head.append(line).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.toString().getBytes(StandardCharsets.UTF_8));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
            }
            catch (IOException ex) {
                // the server stopped reading (it has answered, or refused the request): see what it said
            }
            return Response.parse(answer.get(60, TimeUnit.SECONDS));
        }
        catch (Exception ex) {
            throw new IllegalStateException(method + " " + abbreviate(target) + ": " + ex, ex);
        }
    }

    Response send(String method, String target, List<String> headers) {
        return send(method, target, headers, null);
    }

    /** A connection kept alive across requests, written and read as the caller decides (pipelining included). */
    KeepAlive keepAlive() {
        try {
            Socket socket = new Socket("127.0.0.1", port);
            // a failure bound, not an assertion: an answer that never comes fails the test instead of hanging it
            socket.setSoTimeout(30_000);
            return new KeepAlive(socket);
        }
        catch (IOException ex) {
            throw new IllegalStateException("connecting to port " + port + ": " + ex, ex);
        }
    }

    /** A bodiless request that keeps the connection open. */
    static String request(String method, String target, String... headers) {
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\nContent-Length: 0\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    /** One connection, several requests; answers are read one at a time, framed by their Content-Length. */
    static final class KeepAlive implements AutoCloseable {

        private final Socket socket;
        private final InputStream in;

        private KeepAlive(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
        }

        /** Writes the bytes in one write: several requests in one call arrive pipelined. */
        void write(String requests) {
            try {
                socket.getOutputStream().write(requests.getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
            }
            catch (IOException ex) {
                throw new IllegalStateException("writing " + abbreviate(requests) + ": " + ex, ex);
            }
        }

        /** The next answer on the connection (answers without a Content-Length are not supported). */
        Response read() {
            try {
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    int next = in.read();
                    if (next < 0) {
                        return Response.parse(head.toByteArray());
                    }
                    head.write(next);
                }
                String headers = head.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                int length = headers.indexOf("\r\ncontent-length:");
                if (length < 0) {
                    throw new IllegalStateException("an answer without a Content-Length: " + headers);
                }
                int size = Integer.parseInt(headers.substring(length + 17, headers.indexOf("\r\n", length + 2))
                        .trim());
                head.write(in.readNBytes(size));
                return Response.parse(head.toByteArray());
            }
            catch (IOException ex) {
                throw new IllegalStateException("no answer on the kept-alive connection: " + ex, ex);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static byte[] readAll(InputStream in) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                received.write(buffer, 0, read);
            }
        }
        catch (IOException ex) {
            // a reset after the answer: keep what arrived
        }
        return received.toByteArray();
    }

    static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 100) + "...(" + text.length() + " chars)";
    }

    /** An answer; status 0 when the server closed the connection without one. */
    record Response(int status, Map<String, String> headers, String body) {

        static Response parse(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 ") || end < 0) {
                return new Response(0, Map.of(), text);
            }
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
            byte[] rest = Arrays.copyOfRange(bytes, end + 4, bytes.length);
            byte[] body = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? dechunk(rest) : rest;
            return new Response(Integer.parseInt(lines[0].substring(9, 12)), headers,
                    new String(body, StandardCharsets.UTF_8));
        }

        private static byte[] dechunk(byte[] chunked) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            String text = new String(chunked, StandardCharsets.ISO_8859_1);
            int position = 0;
            while (position < text.length()) {
                int lineEnd = text.indexOf("\r\n", position);
                if (lineEnd < 0) {
                    break;
                }
                int size = Integer.parseInt(text.substring(position, lineEnd).split(";")[0].trim(), 16);
                if (size == 0) {
                    break;
                }
                body.write(chunked, lineEnd + 2, size);
                position = lineEnd + 2 + size + 2;
            }
            return body.toByteArray();
        }

        boolean isProblem() {
            return headers.getOrDefault("content-type", "").startsWith("application/problem+json");
        }

        @Override
        public String toString() {
            return status + " " + headers.getOrDefault("content-type", "") + " " + abbreviate(body);
        }
    }
}
