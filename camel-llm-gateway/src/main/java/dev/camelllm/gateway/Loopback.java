package dev.camelllm.gateway;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Whether a configured listen address is reachable from this machine only. */
final class Loopback {

    private Loopback() {
    }

    static boolean is(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String h = host.trim();
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
