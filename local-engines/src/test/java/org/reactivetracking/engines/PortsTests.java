package org.reactivetracking.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.stream.IntStream;
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
    void noPortIsHandedOutTwice() {
        // 500 draws from the ~22,000 ports below the ephemeral range repeat one with a probability above 99 %
        // unless the draws are remembered
        assertThat(IntStream.range(0, 500).map(i -> Ports.free()).boxed().toList()).doesNotHaveDuplicates();
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
