package org.reactivetracking.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reactivetracking.tracking.RawHttp.request;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Requests on one kept-alive connection, the way a load balancer reuses its connections to a task: every request is
 * answered, including one that arrives while the previous answer is still being completed. Reactor Netty before 1.3.8
 * stopped reading such a connection for good when a request that had to wait was answered at once (its
 * {@code HttpTrafficHandler} drained the waiting request without asking for the next read): the next request on the
 * connection was never answered, and a load balancer would have answered its client 504 after its own timeout.
 */
class KeepAliveTests extends EngineBackedTests {

    private static final String KEY = "X-Api-Key: " + API_KEY;

    @LocalServerPort
    int port;

    @Test
    void answersEveryRequestAfterOneThatArrivedWhileThePreviousAnswerWasCompleting() throws Exception {
        try (RawHttp.KeepAlive connection = new RawHttp(port).keepAlive()) {
            for (int round = 0; round < 3; round++) {
                // in one write: the first is answered off the event loop (Redis), so the second waits for it and is
                // then answered at once (the guard's 401)
                connection.write(request("POST", "/cache/fill", KEY) + request("POST", "/cache/purge"));
                assertThat(connection.read().status()).as("the seed, round %d", round).isEqualTo(200);
                assertThat(connection.read().status()).as("the purge without the key, round %d", round)
                        .isEqualTo(401);

                connection.write(request("GET", "/health/check"));
                assertThat(connection.read().status()).as("the request after them, round %d", round).isEqualTo(200);
            }
        }
    }
}
