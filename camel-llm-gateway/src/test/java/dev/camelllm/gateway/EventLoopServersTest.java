package dev.camelllm.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Camel Main's HTTP server, with the gateway's routes, accepts connections on every Vert.x event loop (not
 * platform-http's one), with platform-http's TLS on each, and frees its port when the context stops.
 */
@Timeout(120)
class EventLoopServersTest {

    private static final String KEY = "gw-loops-0123456789abcdef";
    private static final int CONNECTIONS = 16;

    @TempDir
    Path dir;

    @Test
    void connectionsAreServedFromEveryEventLoopAndThePortIsFreedOnStop() throws Exception {
        int port = freePort();
        Main main = start(port, new Properties());
        try {
            Set<String> loops = loopsServing(SocketFactory.getDefault(), port);

            // Vert.x's default: two event loops a core; connections are handed to them in turn
            int eventLoops = 2 * Runtime.getRuntime().availableProcessors();
            assertThat(loops).as("event loops that served %d new connections", CONNECTIONS)
                    .hasSize(Math.min(eventLoops, CONNECTIONS))
                    .allMatch(name -> name.startsWith("vert.x-eventloop-thread-"));
        } finally {
            main.stop();
        }
        assertPortFree(port);
    }

    @Test
    void everyEventLoopSpeaksPlatformHttpsTls() throws Exception {
        Path keystore = dir.resolve("server.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=IP:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit");
        Properties tls = new Properties();
        tls.put("camel.ssl.enabled", "true");
        tls.put("camel.ssl.key-store", "file:" + keystore);
        tls.put("camel.ssl.keystore-password", "changeit");
        tls.put("camel.ssl.key-store-type", "PKCS12");
        tls.put("camel.server.use-global-ssl-context-parameters", "true");
        int port = freePort();
        Main main = start(port, tls);
        try {
            Set<String> loops = loopsServing(trusting(keystore).getSocketFactory(), port);

            assertThat(loops).hasSizeGreaterThan(1);
        } finally {
            main.stop();
        }
    }

    private static Main start(int port, Properties extra) throws Exception {
        Properties p = new Properties();
        p.put("camel.server.enabled", "true");
        p.put("camel.server.host", "127.0.0.1");
        p.put("camel.server.port", String.valueOf(port));
        p.put("camel.component.llm.profiles[echo].provider", "echo");
        p.put("camel.component.llm.profiles[echo].model", "echo-7");
        p.put("llm.gateway.keys.k.key", KEY);
        p.putAll(extra);
        Main main = new Main();
        main.setOverrideProperties(p);
        main.configure().addRoutesBuilder(new LlmGatewayRoutes());
        main.start();
        // a handler of the test's own on platform-http's router: it answers with the thread it runs on
        for (VertxPlatformHttpRouter router : main.getCamelContext().getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            router.route("/test/event-loop").handler(ctx -> ctx.response().end(Thread.currentThread().getName()));
        }
        return main;
    }

    /** The threads that answered {@link #CONNECTIONS} requests, each on a connection of its own. */
    private static Set<String> loopsServing(SocketFactory sockets, int port) throws Exception {
        Set<String> threads = new HashSet<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            try (Socket socket = sockets.createSocket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET /test/event-loop HTTP/1.1\r\nHost: 127.0.0.1:" + port
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(response).startsWith("HTTP/1.1 200");
                threads.add(response.substring(response.indexOf("\r\n\r\n") + 4));
            }
        }
        return threads;
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        Certificate cert = store.getCertificate("server");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    private static void keytool(String... args) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "keytool");
        String[] command = new String[args.length + 1];
        command[0] = java.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    /** The port can be bound again soon after the stop (Netty closes the sockets on its own loops). */
    private static void assertPortFree(int port) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return true;
            }
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
