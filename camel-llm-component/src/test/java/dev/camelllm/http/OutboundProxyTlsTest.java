package dev.camelllm.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.jsse.SSLContextParameters;
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
import dev.camelllm.observability.LogCapture;
import dev.camelllm.testsupport.ForwardProxy;
import dev.camelllm.testsupport.TestCa;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every outbound call of an endpoint takes the endpoint's proxy and TLS settings: a real forward proxy on
 * loopback ({@link ForwardProxy}: CONNECT and plain forwarding, optionally wanting Basic credentials), a
 * plain HTTP upstream (WireMock) and a TLS upstream whose certificate a CA made for this run signed
 * ({@link TestCa}). Proxies come from the options, the JVM's properties or the environment (both passed
 * to the component as maps).
 */
@Timeout(60)
class OutboundProxyTlsTest extends CamelTestSupport {

    private static final String ANSWER = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello through the network\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}";
    private static final String PROXY_USER = "proxy-user";
    private static final String PROXY_PASSWORD = "Pr0xy-Secret-Zk41";

    @TempDir
    static Path certificates;
    private static TestCa ca;
    private static HttpsServer tlsUpstream;
    private static final List<String> tlsRequests = new CopyOnWriteArrayList<>();

    private WireMockServer plainUpstream;
    private ForwardProxy proxy;
    private ForwardProxy authProxy;
    private final Map<String, String> env = new HashMap<>();
    private final Map<String, String> jvm = new HashMap<>();

    @BeforeAll
    static void startTlsUpstream() throws Exception {
        ca = TestCa.create(certificates);
        tlsUpstream = ca.httpsServer(OutboundProxyTlsTest::answer);
    }

    @AfterAll
    static void stopTlsUpstream() {
        if (tlsUpstream != null) {
            tlsUpstream.stop(0);
        }
    }

    private static void answer(HttpExchange exchange) throws IOException {
        tlsRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
        exchange.getRequestBody().readAllBytes();
        byte[] body = (exchange.getRequestURI().getPath().endsWith("/models") ? "{\"data\":[]}" : ANSWER)
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @BeforeEach
    void startUpstreamAndProxies() throws Exception {
        tlsRequests.clear();
        plainUpstream = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        plainUpstream.start();
        plainUpstream.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(ANSWER)));
        plainUpstream.stubFor(get(urlEqualTo("/v1/models")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"data\":[]}")));
        proxy = new ForwardProxy();
        authProxy = new ForwardProxy(PROXY_USER, PROXY_PASSWORD);
    }

    @AfterEach
    void stopUpstreamAndProxies() throws Exception {
        plainUpstream.stop();
        assertThat(proxy.errors()).isEmpty();
        assertThat(authProxy.errors()).isEmpty();
        proxy.close();
        authProxy.close();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        LlmComponent llm = new LlmComponent();
        llm.setEnvironment(env::get);
        llm.setSystemProperties(jvm::get);
        context.addComponent("llm", llm);
        context.getRegistry().bind("testCa", trustingTheTestCa());
        return context;
    }

    private static SSLContextParameters trustingTheTestCa() {
        return ca.clientParameters();
    }

    private String plainBase() {
        return "http://127.0.0.1:" + plainUpstream.port() + "/v1";
    }

    private static String tlsBase() {
        return "https://127.0.0.1:" + tlsUpstream.getAddress().getPort() + "/v1";
    }

    /** Routes direct:NAME to llm:NAME with these options (an openai endpoint, no retries) and returns the exchange. */
    private Exchange call(String name, String baseUrl, String options) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:" + name).to("llm:" + name + "?provider=openai&model=m&apiKey=sk-test&maxRetries=0&baseUrl="
                        + baseUrl + (options.isEmpty() ? "" : "&" + options));
            }
        });
        return template.request("direct:" + name, e -> e.getMessage().setBody("Hello"));
    }

    private static void assertAnswered(Exchange out) {
        assertThat(out.getException()).as("the call failed").isNull();
        assertThat(out.getMessage().getBody(String.class)).isEqualTo("Hello through the network");
    }

    private String proxyOptions(ForwardProxy p) {
        return "proxyHost=127.0.0.1&proxyPort=" + p.port();
    }

    @Test
    void anExplicitProxyForwardsPlainHttpCalls() throws Exception {
        Exchange out = call("plain", plainBase(), proxyOptions(proxy));

        assertAnswered(out);
        assertThat(proxy.forwarded()).containsExactly("POST " + plainBase() + "/chat/completions");
    }

    @Test
    void httpsCallsTunnelThroughTheProxyAndTrustTheCaOfSslContextParameters() throws Exception {
        Exchange out = call("tls", tlsBase(), proxyOptions(proxy) + "&sslContextParameters=#testCa");

        assertAnswered(out);
        assertThat(proxy.forwarded()).containsExactly("CONNECT 127.0.0.1:" + tlsUpstream.getAddress().getPort());
        assertThat(tlsRequests).containsExactly("POST /v1/chat/completions");
    }

    @Test
    void aTlsUpstreamSignedByAnUnknownCaIsRefusedThenTrustedWithSslContextParameters() throws Exception {
        Exchange refused = call("untrusted", tlsBase(), "");
        Exchange trusted = call("trusted", tlsBase(), "sslContextParameters=#testCa");

        LlmException e = refused.getException(LlmException.class);
        assertThat(e).as("got %s", refused.getException()).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK);
        assertThat(e.getMessage()).contains("TLS").contains("sslContextParameters");
        assertThat(tlsRequests).as("nothing reached the upstream without trust").containsExactly("POST /v1/chat/completions");
        assertAnswered(trusted);
    }

    @Test
    void theGlobalSslContextParametersServeWhenTheComponentIsAskedToUseThem() throws Exception {
        context.setSSLContextParameters(trustingTheTestCa());
        context.getComponent("llm", LlmComponent.class).setUseGlobalSslContextParameters(true);

        assertAnswered(call("global", tlsBase(), ""));
    }

    @Test
    void proxyCredentialsAnswerTheProxysChallengeForPlainAndTunnelledCalls() throws Exception {
        String credentials = "&proxyUser=" + PROXY_USER + "&proxyPassword=RAW(" + PROXY_PASSWORD + ")";
        Exchange plain = call("plain", plainBase(), proxyOptions(authProxy) + credentials);
        Exchange tls = call("tls", tlsBase(), proxyOptions(authProxy) + credentials + "&sslContextParameters=#testCa");

        assertAnswered(plain);
        assertAnswered(tls);
        assertThat(authProxy.forwarded()).containsExactly("POST " + plainBase() + "/chat/completions",
                "CONNECT 127.0.0.1:" + tlsUpstream.getAddress().getPort());
    }

    @Test
    void aProxyThatRefusesTheCredentialsIsAnAuthenticationErrorThatNeverShowsThePassword() throws Exception {
        String wrong = "Wr0ng-" + PROXY_PASSWORD;
        Exchange plain;
        Exchange tls;
        List<LogCapture.Line> lines;
        try (LogCapture logs = LogCapture.attach()) {
            plain = call("plain", plainBase(), proxyOptions(authProxy) + "&proxyUser=" + PROXY_USER + "&proxyPassword=RAW(" + wrong + ")");
            tls = call("tls", tlsBase(), proxyOptions(authProxy) + "&proxyUser=" + PROXY_USER + "&proxyPassword=RAW(" + wrong
                    + ")&sslContextParameters=#testCa");
            lines = logs.lines();
        }
        Exchange none = call("none", plainBase(), proxyOptions(authProxy));

        for (Exchange out : List.of(plain, tls, none)) {
            LlmException e = out.getException(LlmException.class);
            assertThat(e).as("got %s", out.getException()).isNotNull();
            assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
            assertThat(e.getMessage()).contains("407").contains("127.0.0.1:" + authProxy.port()).doesNotContain(wrong);
        }
        assertThat(none.getException().getMessage()).contains("proxyUser");
        assertThat(authProxy.forwarded()).isEmpty();
        assertThat(lines).extracting(LogCapture.Line::all).noneMatch(l -> l.contains(wrong));
    }

    @Test
    void theEnvironmentsProxyIsUsedAndNoProxyHostsGoDirect() throws Exception {
        env.put("HTTP_PROXY", "http://127.0.0.1:" + proxy.port());
        env.put("https_proxy", "http://" + PROXY_USER + ":" + PROXY_PASSWORD + "@127.0.0.1:" + authProxy.port());
        env.put("NO_PROXY", "localhost,.internal.example");

        Exchange proxied = call("proxied", plainBase(), "");
        Exchange direct = call("direct", "http://localhost:" + plainUpstream.port() + "/v1", "");
        Exchange tunnelled = call("tunnelled", tlsBase(), "sslContextParameters=#testCa");

        assertAnswered(proxied);
        assertAnswered(direct);
        assertAnswered(tunnelled);
        assertThat(proxy.forwarded()).as("localhost is in NO_PROXY").containsExactly("POST " + plainBase() + "/chat/completions");
        assertThat(authProxy.forwarded()).containsExactly("CONNECT 127.0.0.1:" + tlsUpstream.getAddress().getPort());
        assertThat(plainUpstream.getAllServeEvents()).hasSize(2);
    }

    @Test
    void theJvmsProxyPropertiesWinOverTheEnvironment() throws Exception {
        jvm.put("https.proxyHost", "127.0.0.1");
        jvm.put("https.proxyPort", String.valueOf(proxy.port()));
        env.put("HTTPS_PROXY", "http://127.0.0.1:" + authProxy.port());

        assertAnswered(call("tls", tlsBase(), "sslContextParameters=#testCa"));

        assertThat(proxy.forwarded()).containsExactly("CONNECT 127.0.0.1:" + tlsUpstream.getAddress().getPort());
        assertThat(authProxy.forwarded()).isEmpty();
    }

    @Test
    void incompleteProxyOptionsFailTheRouteStartNamingTheOption() {
        for (String[] bad : new String[][] {{"proxyHost=127.0.0.1", "'proxyPort' is required"},
                {"proxyPort=3128", "'proxyPort' is set but 'proxyHost' is not"},
                {"proxyHost=127.0.0.1&proxyPort=3128&proxyPassword=RAW(" + PROXY_PASSWORD + ")", "'proxyUser' is not"}}) {
            Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> call("bad" + bad[0].length(), plainBase(), bad[0]));
            assertThat(failure).as(bad[0]).isNotNull();
            assertThat(rootMessage(failure)).contains(bad[1]).doesNotContain(PROXY_PASSWORD);
        }
    }

    private static String rootMessage(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append(" | ");
        }
        return all.toString();
    }

    @Test
    void theHealthProbeGoesThroughTheEndpointsProxy() throws Exception {
        context.getComponent("llm", LlmComponent.class).setHealthProbeInterval(0);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:probed").to("llm:probed?provider=openai&model=m&apiKey=sk-test&baseUrl=" + plainBase() + "&"
                        + proxyOptions(proxy));
            }
        });
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        registry.getRepository("producers").orElseThrow().setEnabled(true);

        Collection<HealthCheck.Result> results = HealthCheckHelper.invokeReadiness(context);

        HealthCheck.Result probed = results.stream().filter(r -> r.getCheck().getId().equals("producer:llm-probed"))
                .findFirst().orElseThrow();
        assertThat(probed.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(proxy.forwarded()).containsExactly("GET " + plainBase() + "/models");
    }
}
