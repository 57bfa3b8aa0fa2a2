package dev.camelllm.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.camelllm.spi.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Vercel AI SDK's default path, {@code createOpenAI({ baseURL })('local')}, which calls
 * {@code POST /v1/responses}: {@code generateText} and {@code streamText} against the gateway in front of the
 * local model. The SDK is an npm package pinned in {@code src/test/node/package-lock.json}; {@code .ci/run}
 * installs it ({@code npm ci --prefix camel-llm-gateway/src/test/node}). Without Node or without that install
 * the test is skipped, and says how to install it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VercelAiSdkGatewayTest extends GatewayTestSupport {

    private static final Path MODULES = Path.of(System.getProperty("vercel.ai.modules",
            "src/test/node")).toAbsolutePath();

    @Test
    void generateTextAndStreamTextReachTheLocalModelThroughTheResponsesEndpoint() throws Exception {
        assumeTrue(Files.isDirectory(MODULES.resolve("node_modules/@ai-sdk/openai")) && nodeRuns(),
                "the Vercel AI SDK is not installed: run npm ci --prefix camel-llm-gateway/src/test/node (needs Node 18+)");
        Process node = new ProcessBuilder("node", MODULES.resolve("check.mjs").toString(), gateway + "/v1", FULL_KEY,
                "local", "Hello").directory(MODULES.toFile()).redirectErrorStream(true).start();
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

    private static boolean nodeRuns() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
