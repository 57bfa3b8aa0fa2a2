package dev.camelllm.provider.echo;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Properties;

/** The settings of a gateway in Camel Main on a free loopback port, in front of one echo profile and one key. */
final class EchoGateway {

    private EchoGateway() {
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Camel Main's HTTP server on {@code port}, profile {@code echo} (model echo-7) and gateway key {@code key}. */
    static Properties settings(int port, String key) {
        Properties p = new Properties();
        p.put("camel.server.enabled", "true");
        p.put("camel.server.host", "127.0.0.1");
        p.put("camel.server.port", String.valueOf(port));
        p.put("camel.component.llm.profiles[echo].provider", "echo");
        p.put("camel.component.llm.profiles[echo].model", "echo-7");
        p.put("llm.gateway.keys.k.key", key);
        return p;
    }
}
