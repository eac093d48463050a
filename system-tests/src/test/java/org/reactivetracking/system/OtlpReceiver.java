package org.reactivetracking.system;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An OTLP/HTTP trace endpoint on loopback that keeps every span it is sent, as the ADOT collector would get them. */
final class OtlpReceiver implements AutoCloseable {

    /** One received span: the service that sent it, its trace id (hex) and name. */
    record ReceivedSpan(String service, String traceId, String name) {
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

    OtlpReceiver() {
        server = LoopbackHttpServer.start("/v1/traces", exchange -> {
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(exchange.getRequestBody());
            for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
                String service = resourceSpans.getResource().getAttributesList().stream()
                        .filter(attribute -> attribute.getKey().equals("service.name"))
                        .map(attribute -> attribute.getValue().getStringValue()).findFirst().orElse("");
                resourceSpans.getScopeSpansList().forEach(scope -> scope.getSpansList().forEach(span -> spans.add(
                        new ReceivedSpan(service, HexFormat.of().formatHex(span.getTraceId().toByteArray()),
                                span.getName()))));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
