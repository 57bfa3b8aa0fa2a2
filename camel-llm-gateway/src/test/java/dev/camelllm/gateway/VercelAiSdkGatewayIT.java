package dev.camelllm.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.camelllm.spi.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The Vercel AI SDK's default path, {@code createOpenAI({ baseURL })('local')}, which calls
 * {@code POST /v1/responses}: {@code generateText} and {@code streamText} against the gateway in front of the
 * local model. Opt-in, because it needs Node and the npm packages {@code ai} and {@code @ai-sdk/openai}
 * (which the offline default build cannot fetch): install them in a folder and name it, e.g.
 * <pre>
 * mkdir /tmp/vercel-ai &amp;&amp; (cd /tmp/vercel-ai &amp;&amp; npm init -y &amp;&amp; npm install ai@5 @ai-sdk/openai@2)
 * mvn -pl camel-llm-gateway -am test -Dtest=VercelAiSdkGatewayIT -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dvercel.ai.modules=/tmp/vercel-ai
 * </pre>
 */
@EnabledIfSystemProperty(named = "vercel.ai.modules", matches = ".+")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VercelAiSdkGatewayIT extends GatewayTestSupport {

    @Test
    void generateTextAndStreamTextReachTheLocalModelThroughTheResponsesEndpoint() throws Exception {
        Path modules = Path.of(System.getProperty("vercel.ai.modules"));
        Path script = modules.resolve("camel-llm-vercel-check.mjs");
        try (InputStream in = getClass().getResourceAsStream("/vercel-ai/check.mjs")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Process node = new ProcessBuilder("node", script.toString(), gateway + "/v1", FULL_KEY, "local", "Hello")
                .directory(modules.toFile()).redirectErrorStream(true).start();
        boolean ended = node.waitFor(90, TimeUnit.SECONDS);
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ended) {
            node.destroyForcibly();
        }

        assertThat(ended).as("node ended; output: %s", output).isTrue();
        assertThat(node.exitValue()).as("node's exit status; output: %s", output).isZero();
        JsonNode result = Json.parse(output.lines().reduce((a, b) -> b).orElseThrow());
        assertThat(result.path("paths")).extracting(JsonNode::asText).containsExactly("/v1/responses", "/v1/responses");
        assertThat(result.path("text").asText()).isEqualTo("Hello! How can I help you today?");
        assertThat(result.path("finishReason").asText()).isEqualTo("stop");
        assertThat(result.path("inputTokens").asInt()).isEqualTo(13);
        assertThat(result.path("streamedText").asText()).isEqualTo("Hello! How can I help you today?");
        assertThat(result.path("deltas").asInt()).isGreaterThan(1);
        assertThat(result.path("streamedFinishReason").asText()).isEqualTo("stop");
        assertThat(result.path("streamedInputTokens").asInt()).isEqualTo(13);
    }
}
