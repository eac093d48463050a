package org.reactivetracking.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortsTests {

    @Test
    void freePortsLieBelowTheKernelsEphemeralRangeAndCanBeBound() throws IOException {
        int[] ephemeral = Ports.ephemeralRange();
        for (int i = 0; i < 20; i++) {
            int port = Ports.free();
            assertThat(port).isBetween(10_000, ephemeral[0] - 1);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void aBoundPortIsNotOpenAfterItIsClosed() throws IOException {
        int port = Ports.free();
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            assertThat(Ports.isOpen(port)).isTrue();
        }
        assertThat(Ports.isOpen(port)).isFalse();
    }
}
