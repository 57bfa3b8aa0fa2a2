package dev.camelllm.observability;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.spi.CallContext;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatProviderFactory;
import dev.camelllm.spi.ChatStream;
import dev.camelllm.spi.ProviderHealth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The producer health checks of llm: endpoints, through Camel's health-check registry (repository
 * "producers"), against a WireMock upstream on loopback.
 */
@Timeout(20)
class LlmHealthCheckTest extends ObservabilityTestSupport {

    private WireMockServer wm;

    @BeforeEach
    void startWireMock() {
        wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
    }

    @AfterEach
    void stopWireMock() {
        wm.stop();
    }

    private void start(String... uris) throws Exception {
        llm().setHealthProbeInterval(0);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < uris.length; i++) {
                    from("direct:r" + i).to(uris[i]);
                }
            }
        });
        context.start();
        // Camel leaves producer checks off unless camel.health.producers-enabled=true
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        Optional<HealthCheckRepository> producers = registry.getRepository("producers");
        assertThat(producers).as("camel-health's producers repository").isPresent();
        producers.get().setEnabled(true);
    }

    private HealthCheck.Result check(String id) {
        Collection<HealthCheck.Result> results = HealthCheckHelper.invokeReadiness(context);
        return results.stream().filter(r -> r.getCheck().getId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + id + " in " + results.stream().map(r -> r.getCheck().getId()).toList()));
    }

    private String openAiAt(String name) {
        return "llm:" + name + "?provider=openai&baseUrl=http://127.0.0.1:" + wm.port() + "/v1&apiKey=" + KEY
                + "&model=gpt-4o-mini";
    }

    @Test
    void upWhenTheProviderAcceptsTheKey() throws Exception {
        wm.stubFor(get(urlEqualTo("/v1/models")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"object\":\"list\",\"data\":[]}")));
        start(openAiAt("chat"));

        HealthCheck.Result result = check("producer:llm-chat");

        assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(result.getDetails()).containsEntry("llm.profile", "chat").containsEntry("provider", "openai")
                .containsEntry("model", "gpt-4o-mini").containsEntry("http.status", 200);
        wm.verify(getRequestedFor(urlEqualTo("/v1/models")).withHeader("Authorization", equalTo("Bearer " + KEY)));
        assertThat(result.getCheck().isLiveness()).isFalse();
    }

    @Test
    void theResponsesProviderProbesTheSameModelsList() throws Exception {
        wm.stubFor(get(urlEqualTo("/v1/models")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"object\":\"list\",\"data\":[]}")));
        start("llm:resp?provider=openai-responses&baseUrl=http://127.0.0.1:" + wm.port() + "/v1&apiKey=" + KEY
                + "&model=o4-mini");

        HealthCheck.Result result = check("producer:llm-resp");

        assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(result.getDetails()).containsEntry("provider", "openai-responses").containsEntry("model", "o4-mini");
        wm.verify(getRequestedFor(urlEqualTo("/v1/models")).withHeader("Authorization", equalTo("Bearer " + KEY)));
    }

    @Test
    void downWithTheReasonButNoKeyWhenTheProviderRejectsIt() throws Exception {
        // the upstream echoes the key in its error, as OpenAI does with part of it
        wm.stubFor(get(urlEqualTo("/v1/models")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + ".\",\"type\":\"invalid_request_error\","
                        + "\"code\":\"invalid_api_key\"}}")));
        start(openAiAt("chat"));

        HealthCheck.Result result = check("producer:llm-chat");

        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage()).hasValueSatisfying(m -> assertThat(m)
                .contains("rejected the key (HTTP 401)").contains("Incorrect API key provided").doesNotContain(KEY));
        assertThat(result.getDetails()).containsEntry("http.status", 401);
        assertThat(String.valueOf(result.getDetails())).doesNotContain(KEY);
        assertThat(String.valueOf(result.getMessage())).doesNotContain(KEY);
    }

    @Test
    void anthropicIsProbedWithItsKeyHeaders() throws Exception {
        wm.stubFor(get(urlEqualTo("/v1/models")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"type\":\"error\",\"error\":{\"type\":\"permission_error\",\"message\":\"key not allowed\"}}")));
        start("llm:claude?provider=anthropic&model=claude-sonnet-4-5&apiKey=" + KEY + "&baseUrl=http://127.0.0.1:" + wm.port());

        HealthCheck.Result result = check("producer:llm-claude");

        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("HTTP 403").contains("key not allowed"));
        wm.verify(getRequestedFor(urlEqualTo("/v1/models")).withHeader("x-api-key", equalTo(KEY))
                .withHeader("anthropic-version", equalTo("2023-06-01")));
    }

    @Test
    void azureOpenAiIsProbedAtItsModelsListWithTheApiKeyHeader() throws Exception {
        wm.stubFor(get(urlEqualTo("/openai/models?api-version=2024-10-21")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"data\":[],\"object\":\"list\"}")));
        start("llm:azure?provider=azure-openai&model=gpt4o-prod&provider.apiVersion=2024-10-21&apiKey=" + KEY
                + "&baseUrl=http://127.0.0.1:" + wm.port());

        HealthCheck.Result result = check("producer:llm-azure");

        assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
        wm.verify(getRequestedFor(urlEqualTo("/openai/models?api-version=2024-10-21")).withHeader("api-key", equalTo(KEY)));
    }

    @Test
    void geminiIsProbedWithItsKeyHeaderAndARejectedKeyIsDown() throws Exception {
        wm.stubFor(get(urlEqualTo("/v1beta/models?pageSize=1")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"code\":403,\"message\":"
                        + "\"Method doesn't allow unregistered callers.\",\"status\":\"PERMISSION_DENIED\"}}")));
        start("llm:gemini?provider=gemini&model=gemini-2.5-flash&apiKey=" + KEY + "&baseUrl=http://127.0.0.1:" + wm.port()
                + "/v1beta");

        HealthCheck.Result result = check("producer:llm-gemini");

        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("HTTP 403").doesNotContain(KEY));
        wm.verify(getRequestedFor(urlEqualTo("/v1beta/models?pageSize=1")).withHeader("x-goog-api-key", equalTo(KEY)));
    }

    @Test
    void downWhenTheProviderCannotBeReached() throws Exception {
        int closedPort = wm.port();
        String uri = openAiAt("chat");
        wm.stop();
        start(uri);

        HealthCheck.Result result = check("producer:llm-chat");

        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage()).hasValueSatisfying(m -> assertThat(m).startsWith("unreachable"));
        assertThat(result.getDetails()).containsEntry("url", "http://127.0.0.1:" + closedPort + "/v1/models");
    }

    @Test
    void aProviderWithItsOwnCheckIsAskedInstead() throws Exception {
        llm().registerProvider("selfcheck", ChatProviderFactory.of("selfcheck", (config, ctx) -> new SelfCheckingProvider()));
        start("llm:local?provider=selfcheck&model=tiny");

        HealthCheck.Result result = check("producer:llm-local");

        assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(result.getMessage()).contains("model not loaded");
        assertThat(result.getDetails()).containsEntry("model.path", "models/tiny");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void theCheckGoesAwayWithItsEndpoint() throws Exception {
        wm.stubFor(get(urlEqualTo("/v1/models")).willReturn(aResponse().withStatus(200)));
        start(openAiAt("chat"));
        assertThat(check("producer:llm-chat").getState()).isEqualTo(HealthCheck.State.UP);

        context.stop();

        HealthCheckRepository producers = HealthCheckHelper.getHealthCheckRepository(context, "producers");
        assertThat(producers.stream().map(HealthCheck::getId)).doesNotContain("producer:llm-chat");
    }

    @Test
    void theProbesHttpClientAndItsThreadsDoNotOutliveTheContext() throws Exception {
        Set<Long> before = ourThreads().stream().map(Thread::getId).collect(Collectors.toSet());
        wm.stubFor(get(urlEqualTo("/v1/models")).willReturn(aResponse().withStatus(200)));
        start(openAiAt("chat"));
        assertThat(check("producer:llm-chat").getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(wm.getAllServeEvents()).as("the probe went over the wire").hasSize(1);
        assertThat(ourThreads()).as("the probe's transport runs a thread while the context runs")
                .anyMatch(t -> !before.contains(t.getId()));

        context.stop();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ourThreads())
                .filteredOn(t -> !before.contains(t.getId())).extracting(Thread::getName).isEmpty());
    }

    /** Live threads named like the component's (camel-llm-…, llm-…) or the JDK HTTP client's. */
    private static List<Thread> ourThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().contains("camel-llm") || t.getName().contains("llm-")
                        || t.getName().startsWith("HttpClient-"))
                .toList();
    }

    /** A provider of this test with a health check of its own, as a local model has. */
    private static final class SelfCheckingProvider implements ChatProvider {
        @Override
        public String name() {
            return "selfcheck";
        }

        @Override
        public String model() {
            return "tiny";
        }

        @Override
        public ChatResponse chat(ChatRequest request, CallContext call) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ChatStream stream(ChatRequest request, CallContext call) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ProviderHealth health() {
            return ProviderHealth.down("model not loaded", Map.of("model.path", "models/tiny"));
        }
    }
}
