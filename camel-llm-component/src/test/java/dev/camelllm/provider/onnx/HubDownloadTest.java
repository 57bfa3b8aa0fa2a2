package dev.camelllm.provider.onnx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.api.LlmNetworkException;
import dev.camelllm.component.LlmComponent;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.component.ProviderSettingsBuilder;
import dev.camelllm.http.HttpSettings;
import dev.camelllm.http.HttpTransport;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ProviderContext;
import dev.camelllm.testsupport.ForwardProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * modelId downloads from a hub: a JDK HttpServer on 127.0.0.1 serves the tiny model directory as
 * {@code /{repo}/resolve/main/{file}} with the hub's X-Repo-Commit and ETag headers (SHA-256 for the
 * large file, like LFS), Range requests, and, when asked, a connection cut halfway through a file.
 */
@Timeout(60)
class HubDownloadTest {

    static final String REPO = "test-org/tiny-chat";
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path cache;

    HttpServer server;
    /** The transport a component would hand the provider; downloads go through it. */
    final HttpTransport http = new HttpTransport(HttpSettings.defaults());
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicBoolean cutDataOnce = new AtomicBoolean();

    @BeforeEach
    void start() throws IOException {
        TinyModel.require();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        http.close();
    }

    private ProviderContext context() {
        return ProviderContext.of(new org.apache.camel.impl.DefaultCamelContext(), name -> null, http);
    }

    private void serve(HttpExchange exchange) throws IOException {
        String prefix = "/" + REPO + "/resolve/main/";
        String path = exchange.getRequestURI().getPath();
        String range = exchange.getRequestHeaders().getFirst("Range");
        requests.add(path.replace(prefix, "") + (range == null ? "" : " " + range));
        exchange.getResponseHeaders().add("X-Repo-Commit", COMMIT);
        Path file = TinyModel.dir().resolve(path.replace(prefix, ""));
        if (!path.startsWith(prefix) || path.endsWith("expected.json") || !Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        byte[] bytes = Files.readAllBytes(file);
        exchange.getResponseHeaders().add("ETag", "\"" + (bytes.length > 100_000 ? sha256(bytes) : "small" + bytes.length) + "\"");
        int from = 0;
        if (range != null) {
            from = Integer.parseInt(range.replace("bytes=", "").replace("-", ""));
            exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
            exchange.sendResponseHeaders(206, bytes.length - from);
        } else {
            exchange.sendResponseHeaders(200, bytes.length);
        }
        OutputStream out = exchange.getResponseBody();
        if (path.endsWith(".onnx_data") && cutDataOnce.compareAndSet(true, false)) {
            out.write(bytes, from, (bytes.length - from) / 2);
            out.flush();
            // hang up mid-body, as a dropped connection does
            exchange.getHttpContext().getServer().stop(0);
            return;
        }
        out.write(bytes, from, bytes.length - from);
        out.close();
    }

    private LlmConfiguration config(int port) {
        LlmConfiguration c = new LlmConfiguration();
        c.setProvider("onnx");
        c.setModelId(REPO);
        c.setHubBaseUrl("http://127.0.0.1:" + port);
        c.setCacheDir(cache.toString());
        c.setDevice("cpu");
        c.setIntraOpThreads(1);
        return c;
    }

    @Test
    void downloadsWhatIsNeededShowsProgressAndHitsTheCacheNextTime() throws Exception {
        String progress;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (OnnxProviderFactory factory = new OnnxProviderFactory()) {
            ChatProvider provider = factory.create(ProviderSettingsBuilder.of(config(server.getAddress().getPort())), context());
            TinyModel.Case hello = TinyModel.cases().get("hello");
            assertThat(provider.chat(hello.request()).text()).isEqualTo(hello.expectedCompletion());
        } finally {
            System.setErr(err);
            progress = captured.toString(StandardCharsets.UTF_8);
        }
        assertThat(requests).containsExactly("config.json", "generation_config.json", "tokenizer.json",
                "tokenizer_config.json", "chat_template.jinja", "onnx/model_q4.onnx", "onnx/model_int8.onnx",
                "onnx/model_quantized.onnx", "onnx/model.onnx", "onnx/model.onnx_data");
        assertThat(progress).contains(REPO + " onnx/model.onnx_data").contains("100%");

        Path repo = cache.resolve("models--test-org--tiny-chat");
        assertThat(Files.readString(repo.resolve("refs/main"))).isEqualTo(COMMIT);
        Path data = repo.resolve("snapshots/" + COMMIT + "/onnx/model.onnx_data");
        assertThat(Files.isSymbolicLink(data)).isTrue();
        byte[] source = Files.readAllBytes(TinyModel.dir().resolve("onnx/model.onnx_data"));
        assertThat(data.toRealPath()).isEqualTo(repo.resolve("blobs/" + sha256(source)).toRealPath());
        assertThat(repo.resolve(".no_exist/" + COMMIT + "/onnx/model_q4.onnx")).exists();

        int before = requests.size();
        try (OnnxProviderFactory factory = new OnnxProviderFactory()) {
            ChatProvider provider = factory.create(ProviderSettingsBuilder.of(config(server.getAddress().getPort())), context());
            TinyModel.Case count = TinyModel.cases().get("count");
            assertThat(provider.chat(count.request()).text()).isEqualTo(count.expectedCompletion());
        }
        assertThat(requests).hasSize(before);
    }

    @Test
    void resumesACutDownloadWithARangeRequest() throws Exception {
        cutDataOnce.set(true);
        int port = server.getAddress().getPort();
        try (OnnxProviderFactory factory = new OnnxProviderFactory()) {
            assertThatThrownBy(() -> factory.create(ProviderSettingsBuilder.of(config(port)), context()))
                    .isInstanceOf(LlmNetworkException.class)
                    .hasMessageContaining("model.onnx_data")
                    .hasMessageContaining("resumes");
        }
        Path part = cache.resolve("models--test-org--tiny-chat/.downloads/onnx/model.onnx_data.part");
        byte[] source = Files.readAllBytes(TinyModel.dir().resolve("onnx/model.onnx_data"));
        long have = Files.size(part);
        assertThat(have).isPositive().isLessThan(source.length);

        // the cut stopped the server; a new one on the same port takes over
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", this::serve);
        server.start();
        requests.clear();
        try (OnnxProviderFactory factory = new OnnxProviderFactory()) {
            ChatProvider provider = factory.create(ProviderSettingsBuilder.of(config(port)), context());
            TinyModel.Case hello = TinyModel.cases().get("hello");
            assertThat(provider.chat(hello.request()).text()).isEqualTo(hello.expectedCompletion());
        }
        assertThat(requests).contains("onnx/model.onnx_data bytes=" + have + "-");
        Path data = cache.resolve("models--test-org--tiny-chat/snapshots/" + COMMIT + "/onnx/model.onnx_data");
        assertThat(Files.mismatch(data, TinyModel.dir().resolve("onnx/model.onnx_data"))).isEqualTo(-1L);
        assertThat(part).doesNotExist();
    }

    /**
     * A model download takes the endpoint's proxy like every other outbound call: through an llm: route of
     * a real component, every file of the hub is fetched via the proxy (counted there), and the model answers.
     */
    @Test
    void theDownloadGoesThroughTheEndpointsProxy() throws Exception {
        int port = server.getAddress().getPort();
        try (ForwardProxy proxy = new ForwardProxy("hub-user", "hub-pass");
             org.apache.camel.CamelContext camel = new org.apache.camel.impl.DefaultCamelContext()) {
            camel.addComponent("llm", new LlmComponent());
            camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:local").to("llm:local?provider=onnx&modelId=" + REPO + "&hubBaseUrl=http://127.0.0.1:" + port
                            + "&cacheDir=" + cache + "&device=cpu&intraOpThreads=1&proxyHost=127.0.0.1&proxyPort=" + proxy.port()
                            + "&proxyUser=hub-user&proxyPassword=RAW(hub-pass)");
                }
            });
            camel.start();
            TinyModel.Case hello = TinyModel.cases().get("hello");
            String answer = camel.createProducerTemplate().requestBody("direct:local", hello.request(), String.class);

            assertThat(answer).isEqualTo(hello.expectedCompletion());
            assertThat(proxy.forwarded()).hasSize(requests.size())
                    .contains("GET http://127.0.0.1:" + port + "/" + REPO + "/resolve/main/config.json",
                            "GET http://127.0.0.1:" + port + "/" + REPO + "/resolve/main/onnx/model.onnx_data");
            assertThat(proxy.errors()).isEmpty();
        }
    }

    @Test
    void anUnreachableHubIsNamed() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (OnnxProviderFactory factory = new OnnxProviderFactory()) {
            assertThatThrownBy(() -> factory.create(ProviderSettingsBuilder.of(config(closedPort)), context()))
                    .isInstanceOf(LlmNetworkException.class)
                    .hasMessageContaining("http://127.0.0.1:" + closedPort + "/" + REPO + "/resolve/main/config.json")
                    .hasMessageContaining("cannot connect to 127.0.0.1:" + closedPort);
        }
    }

    @Test
    void aVariantTheRepositoryLacksIsAConfigurationError() {
        LlmConfiguration c = config(server.getAddress().getPort());
        c.setVariant("q4");
        try (OnnxProviderFactory factory = new OnnxProviderFactory()) {
            assertThatThrownBy(() -> factory.create(ProviderSettingsBuilder.of(c), context()))
                    .isInstanceOf(LlmConfigurationException.class)
                    .hasMessageContaining("option 'variant' is q4")
                    .hasMessageContaining("onnx/model_q4.onnx");
        }
        assertThat(Set.copyOf(requests)).doesNotContain("onnx/model.onnx", "onnx/model.onnx_data");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
