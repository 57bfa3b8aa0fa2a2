package dev.camelllm.provider.bedrock;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.component.LlmComponent;
import dev.camelllm.testsupport.ForwardProxy;
import dev.camelllm.testsupport.ScriptedHttpServer;
import dev.camelllm.testsupport.TestCa;

import static dev.camelllm.provider.bedrock.BedrockWire.ACCESS_KEY;
import static dev.camelllm.provider.bedrock.BedrockWire.MODEL;
import static dev.camelllm.provider.bedrock.BedrockWire.REGION;
import static dev.camelllm.provider.bedrock.BedrockWire.SECRET_KEY;
import static dev.camelllm.provider.bedrock.BedrockWire.converseText;
import static dev.camelllm.provider.bedrock.BedrockWire.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bedrock provider takes the endpoint's proxy and TLS options as every other provider does, although the
 * AWS SDK's Netty client makes its own connections: a real forward proxy on loopback ({@link ForwardProxy}), a
 * plain fake Bedrock and a TLS one whose certificate a CA made for this run signed ({@link TestCa}). The TLS
 * cases also guard the client's protocol negotiation: with the service's default (ALPN) every TLS connection of
 * the HTTP/1.1 client failed before its first byte.
 */
@Timeout(60)
class BedrockNetworkTest extends CamelTestSupport {

    @TempDir
    static Path certificates;
    private static TestCa ca;
    private static HttpsServer tlsBedrock;
    private static final List<String> tlsRequests = new CopyOnWriteArrayList<>();

    private ScriptedHttpServer plainBedrock;
    private ForwardProxy proxy;
    private final Map<String, String> env = new HashMap<>();

    @BeforeAll
    static void startTlsBedrock() throws Exception {
        ca = TestCa.create(certificates);
        tlsBedrock = ca.httpsServer(BedrockNetworkTest::answer);
    }

    @AfterAll
    static void stopTlsBedrock() {
        if (tlsBedrock != null) {
            tlsBedrock.stop(0);
        }
    }

    private static void answer(HttpExchange exchange) throws IOException {
        tlsRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
        exchange.getRequestBody().readAllBytes();
        if (exchange.getRequestURI().getPath().endsWith("/converse-stream")) {
            exchange.getResponseHeaders().add("Content-Type", BedrockWire.EVENT_STREAM);
            exchange.sendResponseHeaders(200, 0); // chunked
            try (OutputStream out = exchange.getResponseBody()) {
                for (byte[] frame : List.of(BedrockWire.messageStart(), BedrockWire.textDelta(0, "Streamed "),
                        BedrockWire.textDelta(0, "over TLS"), BedrockWire.blockStop(0), BedrockWire.messageStop("end_turn"),
                        BedrockWire.metadata(3, 4, 0, 0))) {
                    out.write(frame);
                    out.flush();
                }
            }
            return;
        }
        byte[] body = converseText("Hello over TLS", "end_turn", 3, 4).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @BeforeEach
    void startPlainBedrockAndProxy() throws Exception {
        tlsRequests.clear();
        plainBedrock = new ScriptedHttpServer();
        proxy = new ForwardProxy();
    }

    @AfterEach
    void stopPlainBedrockAndProxy() throws Exception {
        plainBedrock.close();
        assertThat(proxy.errors()).isEmpty();
        proxy.close();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        LlmComponent llm = new LlmComponent();
        llm.setEnvironment(env::get);
        llm.setSystemProperties(n -> null);
        context.addComponent("llm", llm);
        context.getRegistry().bind("testCa", ca.clientParameters());
        return context;
    }

    private Exchange call(String name, String baseUrl, String options) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:" + name).to("llm:" + name + "?provider=bedrock&model=" + MODEL + "&region=" + REGION
                        + "&baseUrl=" + baseUrl + "&accessKey=RAW(" + ACCESS_KEY + ")&secretKey=RAW(" + SECRET_KEY + ")"
                        + "&maxRetries=0&timeout=20000&resilienceGroup=" + name + (options.isEmpty() ? "" : "&" + options));
            }
        });
        return template.request("direct:" + name, e -> e.getMessage().setBody("Hello"));
    }

    private static String tlsBase() {
        return "https://127.0.0.1:" + tlsBedrock.getAddress().getPort();
    }

    private static void assertAnswered(Exchange out, String text) {
        assertThat(out.getException()).as("the call failed").isNull();
        assertThat(out.getMessage().getBody(String.class)).isEqualTo(text);
    }

    @Test
    void anExplicitProxyCarriesThePlainCalls() throws Exception {
        plainBedrock.then(json(converseText("Hello through the proxy", "end_turn", 3, 4)));

        Exchange out = call("plain", plainBedrock.baseUrl(), "proxyHost=127.0.0.1&proxyPort=" + proxy.port());

        assertAnswered(out, "Hello through the proxy");
        assertThat(proxy.forwarded()).as("the call went through the proxy").isNotEmpty()
                .allSatisfy(f -> assertThat(f).contains("127.0.0.1:" + plainBedrock.port()));
    }

    @Test
    void httpsProxyFromTheEnvironmentTunnelsToATlsBedrockTrustedBySslContextParameters() throws Exception {
        env.put("HTTPS_PROXY", "http://127.0.0.1:" + proxy.port());

        Exchange out = call("tls", tlsBase(), "sslContextParameters=#testCa");

        assertAnswered(out, "Hello over TLS");
        assertThat(proxy.forwarded()).containsExactly("CONNECT 127.0.0.1:" + tlsBedrock.getAddress().getPort());
        assertThat(tlsRequests).containsExactly("POST /model/" + MODEL + "/converse");
    }

    @Test
    void proxyCredentialsAnswerTheProxysChallengeOnTheTunnel() throws Exception {
        try (ForwardProxy guarded = new ForwardProxy("proxy-user", "Pr0xy-Secret-Bd71")) {
            Exchange out = call("guarded", tlsBase(), "sslContextParameters=#testCa&proxyHost=127.0.0.1&proxyPort="
                    + guarded.port() + "&proxyUser=proxy-user&proxyPassword=RAW(Pr0xy-Secret-Bd71)");

            assertAnswered(out, "Hello over TLS");
            assertThat(guarded.forwarded()).containsExactly("CONNECT 127.0.0.1:" + tlsBedrock.getAddress().getPort());
            assertThat(guarded.errors()).isEmpty();
        }
    }

    @Test
    void aStreamComesWholeThroughTheTunnel() throws Exception {
        env.put("HTTPS_PROXY", "http://127.0.0.1:" + proxy.port());
        List<String> tokens = new CopyOnWriteArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:stream").to("llm:stream?provider=bedrock&model=" + MODEL + "&region=" + REGION
                        + "&baseUrl=" + tlsBase() + "&accessKey=RAW(" + ACCESS_KEY + ")&secretKey=RAW(" + SECRET_KEY
                        + ")&maxRetries=0&timeout=20000&stream=true&sslContextParameters=#testCa")
                        .split(body()).streaming().process(e -> tokens.add(e.getMessage().getBody(String.class)));
            }
        });

        Exchange out = template.request("direct:stream", e -> e.getMessage().setBody("Hello"));

        assertThat(out.getException()).as("the stream failed").isNull();
        assertThat(String.join("", tokens)).isEqualTo("Streamed over TLS");
        assertThat(proxy.forwarded()).containsExactly("CONNECT 127.0.0.1:" + tlsBedrock.getAddress().getPort());
        assertThat(tlsRequests).containsExactly("POST /model/" + MODEL + "/converse-stream");
    }

    @Test
    void noProxyLetsTheCallGoStraightToBedrock() throws Exception {
        env.put("HTTPS_PROXY", "http://127.0.0.1:" + proxy.port());
        env.put("NO_PROXY", "127.0.0.1");

        Exchange out = call("direct", tlsBase(), "sslContextParameters=#testCa");

        assertAnswered(out, "Hello over TLS");
        assertThat(proxy.forwarded()).isEmpty();
    }

    @Test
    void aBedrockSignedByACaNobodyTrustsIsANetworkErrorWithoutSslContextParameters() throws Exception {
        Exchange out = call("untrusted", tlsBase(), "");

        LlmException e = out.getException(LlmException.class);
        assertThat(e).as("got %s", out.getException()).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK);
        assertThat(e.getMessage()).contains("TLS").contains("sslContextParameters");
        assertThat(tlsRequests).as("nothing reached Bedrock without trust").isEmpty();
    }
}
