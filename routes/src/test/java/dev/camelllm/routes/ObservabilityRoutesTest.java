package dev.camelllm.routes;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.component.LlmComponent;
import dev.camelllm.component.LlmConstants;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app's observability endpoints, as Camel Main serves them from application.properties: the health
 * checks and the Prometheus scrape on the app's own HTTP server, started on a free loopback port.
 */
@Timeout(60)
class ObservabilityRoutesTest extends RoutesTestSupport {

    private static final int PORT = freePort();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = super.useOverridePropertiesWithPropertiesComponent();
        p.put("camel.server.port", String.valueOf(PORT));
        p.put("camel.server.host", "127.0.0.1");
        p.put("camel.component.llm.prices[local-model].input", "1.5");
        p.put("camel.component.llm.prices[local-model].output", "2");
        p.put("camel.component.llm.prices[local-model].cache-read", "0.25");
        p.put("camel.main.dev-console-enabled", "true");
        p.put("camel.management.dev-console-enabled", "true");
        return p;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return get(path, "*/*");
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path)).timeout(Duration.ofSeconds(10))
                .header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Chat completions on POST, a models list on GET (the health probe). */
    private static void serve(dev.camelllm.testsupport.ScriptedHttpServer server, int modelsStatus) {
        server.then(ex -> {
            if (ex.request().method().equals("GET") && ex.request().path().endsWith("/models")) {
                ex.respond(modelsStatus, "application/json", modelsStatus == 200 ? "{\"object\":\"list\",\"data\":[]}"
                        : "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\",\"type\":\"invalid_request_error\"}}");
            } else {
                ex.respond(200, "application/json", completion("local-model", "Hi"));
            }
        });
    }

    @Test
    void metricsOfARequestOnTheScrapePath() throws Exception {
        startWithDirectEntries("chat");
        serve(local, 200);

        Exchange out = template.request("direct:chat", e -> e.getMessage().setBody("Hello"));

        assertThat(out.getException()).isNull();
        // prices bound by Camel Main from camel.component.llm.prices[local-model].*: (5 x 1.5 + 3 x 2) / 1e6
        assertThat(out.getMessage().getHeader(LlmConstants.COST)).isEqualTo(0.0000135);
        assertThat(context.getComponent("llm", LlmComponent.class).getPrices().get("local-model").getCacheRead()).isEqualTo(0.25);
        HttpResponse<String> metrics = get("/observe/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        String labels = "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\",gen_ai_request_model=\"local-model\","
                + "gen_ai_response_model=\"local-model\"";
        assertThat(metrics.body())
                .contains("llm_requests_total{error_type=\"none\"," + labels + ",llm_profile=\"chat\",outcome=\"ok\"} 1.0")
                .contains("gen_ai_client_token_usage_sum{" + labels + ",gen_ai_token_type=\"input\",llm_profile=\"chat\"} 5.0")
                .contains("gen_ai_client_token_usage_sum{" + labels + ",gen_ai_token_type=\"output\",llm_profile=\"chat\"} 3.0")
                .contains("gen_ai_client_operation_duration_seconds_count{error_type=\"none\"," + labels)
                .contains("llm_cost_usd_total{" + labels + ",llm_profile=\"chat\"} 1.35E-5")
                .doesNotContain(KEY);
    }

    @Test
    void theDevConsoleShowsProfilesAndRecentUsage() throws Exception {
        startWithDirectEntries("chat");
        serve(local, 200);
        assertThat(template.request("direct:chat", e -> e.getMessage().setBody("Hello")).getException()).isNull();

        HttpResponse<String> text = get("/q/dev/llm");
        HttpResponse<String> json = get("/q/dev/llm", "application/json");

        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.body()).contains("name=chat uri=llm://chat provider=openai model=local-model")
                .contains("name=chat uri=\"llm://chat?stream=true\" provider=openai")
                .contains("profile=chat requests=1").contains("outcome=ok").doesNotContain(KEY);
        assertThat(json.body()).contains("\"name\":\"cloud\"").contains("\"resilienceGroup\":\"cloud\"")
                .contains("\"rateLimitPerMinute\":60").doesNotContain(KEY);
    }

    @Test
    void healthIsDownWhileTheCloudRejectsTheKey() throws Exception {
        startWithDirectEntries("chat");
        serve(local, 200);
        serve(cloud, 401);

        HttpResponse<String> health = get("/observe/health");
        HttpResponse<String> full = get("/observe/health?exposureLevel=full");

        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("\"status\":\"DOWN\"");
        assertThat(full.body()).contains("{\"name\":\"producer:llm-chat\",\"status\":\"UP\"")
                .contains("{\"name\":\"producer:llm-cloud\",\"status\":\"DOWN\",\"message\":\"the provider rejected the key (HTTP 401)")
                .doesNotContain(KEY);
        assertThat(cloud.requests()).anySatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer " + KEY));
    }

    @Test
    void healthIsUpWhenEveryProviderAnswers() throws Exception {
        startWithDirectEntries("chat");
        serve(local, 200);
        serve(cloud, 200);

        HttpResponse<String> health = get("/observe/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
    }
}
