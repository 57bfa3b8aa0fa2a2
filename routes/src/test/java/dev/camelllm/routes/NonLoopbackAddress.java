package dev.camelllm.routes;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An address of this machine that others could reach it on, to prove a port is not open there. */
final class NonLoopbackAddress {

    private NonLoopbackAddress() {
    }

    /** The first IPv4 address of an interface that is up and not loopback, if the machine has one. */
    static Optional<InetAddress> find() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    static void assertRefused(InetAddress address, int port) {
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 2000);
            }
        }).as("port %d on %s", port, address).isInstanceOf(ConnectException.class);
    }
}
