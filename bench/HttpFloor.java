import java.time.Instant;
import java.util.UUID;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The floor under {@code GET /event/{programId}} on this machine (bench/http-floor.sh): servers that do no work, on the
 * tracking service's own class path, so what each layer of the HTTP stack costs can be told apart from the service's.
 * <ul>
 * <li>{@code netty <port>}: Reactor Netty's HTTP server alone, answering {@code GET /event/{id}} with a fixed 16-byte
 * JSON body;</li>
 * <li>{@code webflux <port>}: the same answer from an annotated Spring WebFlux controller ({@code @EnableWebFlux},
 * no Spring Boot, no actuator, no observation), Jackson writing a small record like the service's answer.</li>
 * </ul>
 */
public final class HttpFloor {

    public static void main(String[] args) {
        int port = Integer.parseInt(args[1]);
        DisposableServer server = switch (args[0]) {
            case "netty" -> HttpServer.create().host("127.0.0.1").port(port)
                    .route(routes -> routes.get("/event/{id}", (request, response) -> response
                            .header("Content-Type", "application/json").sendString(Mono.just("{\"status\":\"ok\"}"))))
                    .bindNow();
            case "webflux" -> {
                AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(WebFlux.class);
                HttpHandler handler = WebHttpHandlerBuilder.applicationContext(context).build();
                yield HttpServer.create().host("127.0.0.1").port(port).handle(new ReactorHttpHandlerAdapter(handler))
                        .bindNow();
            }
            default -> throw new IllegalArgumentException("usage: HttpFloor netty|webflux <port>");
        };
        System.out.println("listening on " + server.port());
        server.onDispose().block();
    }

    @Configuration
    @EnableWebFlux
    static class WebFlux {

        @Bean
        EventController eventController() {
            return new EventController();
        }
    }

    @RestController
    static class EventController {

        @GetMapping("/event/{programId}")
        Mono<Answer> event(@PathVariable("programId") String programId) {
            return Mono.just(new Answer(UUID.randomUUID().toString(), programId, Instant.now()));
        }
    }

    record Answer(String messageId, String programId, Instant receivedAt) {
    }
}
