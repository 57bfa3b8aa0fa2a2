package dev.camelllm.benchmarks.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Properties;

import org.apache.camel.main.Main;

import dev.camelllm.gateway.GatewayConfiguration;
import dev.camelllm.gateway.LlmGatewayRoutes;

/**
 * The gateway as an operator runs it: its routes in Camel Main on platform-http, configured by properties,
 * on a free loopback port, with one llm: profile ({@value #MODEL}) whose OpenAI upstream is the fake.
 */
final class GatewayServer implements AutoCloseable {

    /** The model clients ask the gateway for: the profile's name. */
    static final String MODEL = "up";
    static final String KEY = "gw-bench-0123456789abcdef";
    /** The line {@link #main} prints when the gateway listens, followed by its base URL. */
    static final String READY = "GATEWAY_READY ";

    private final Main main;
    private final String baseUrl;

    GatewayServer(String upstreamBaseUrl) throws Exception {
        this(upstreamBaseUrl, null);
    }

    /**
     * With a state store (memory or redis://…), the key gets limits so high that no request is refused, so
     * that every request takes from its buckets and corrects them after: what the state store costs.
     */
    GatewayServer(String upstreamBaseUrl, String stateStore) throws Exception {
        this(upstreamBaseUrl, stateStore, null);
    }

    /** As {@link #GatewayServer(String, String)}, with the component's stateStoreLeaseFraction (null: its default). */
    GatewayServer(String upstreamBaseUrl, String stateStore, String leaseFraction) throws Exception {
        int port = freePort();
        baseUrl = "http://127.0.0.1:" + port;
        Properties p = new Properties();
        p.put("camel.server.enabled", "true");
        p.put("camel.server.host", "127.0.0.1");
        p.put("camel.server.port", String.valueOf(port));
        String profile = "camel.component.llm.profiles[" + MODEL + "].";
        p.put(profile + "provider", "openai");
        p.put(profile + "base-url", upstreamBaseUrl + "/v1");
        p.put(profile + "model", "m");
        p.put(profile + "api-key", "k");
        // a failed request is counted, not retried: a retry would hide an error in a latency
        p.put(profile + "max-retries", "0");
        p.put(GatewayConfiguration.PREFIX + "keys.bench.key", KEY);
        if (stateStore != null) {
            p.put("camel.component.llm.state-store", stateStore);
            if (leaseFraction != null) {
                p.put("camel.component.llm.state-store-lease-fraction", leaseFraction);
            }
            p.put(GatewayConfiguration.PREFIX + "keys.bench.requests-per-minute", "2000000000");
            p.put(GatewayConfiguration.PREFIX + "keys.bench.tokens-per-minute", "2000000000");
        }
        main = new Main();
        main.setOverrideProperties(p);
        main.configure().addRoutesBuilder(new LlmGatewayRoutes());
        main.start();
    }

    /**
     * The gateway in a JVM of its own ({@link GatewayProcess}):
     * {@code GatewayServer <upstream base URL> [<state store> [<lease fraction>]]}.
     */
    public static void main(String[] args) throws Exception {
        GatewayServer server = new GatewayServer(args[0], args.length > 1 ? args[1] : null,
                args.length > 2 ? args[2] : null);
        System.out.println(READY + server.baseUrl());
        Thread.currentThread().join(); // until the harness ends the process
    }

    String baseUrl() {
        return baseUrl;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
