package dev.camelllm.provider.openaicompatible;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.component.LlmComponent;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.provider.openai.OpenAiTestSupport;
import dev.camelllm.spi.Json;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * provider=openai-compatible through real routes: reasoning from DeepSeek, vLLM and Groq shapes, the
 * compatible defaults (max_tokens, stream usage asked for, no key unless given) and custom auth headers.
 */
@Timeout(30)
class OpenAiCompatibleRouteTest extends OpenAiTestSupport {

    private final ScriptedHttpServer fake = newServer();
    private final List<Object> received = new CopyOnWriteArrayList<>();

    {
        // an OpenAI key in the environment must never be sent to another host
        env.put("OPENAI_API_KEY", "sk-openai-env-key-must-not-leak");
    }

    private static ScriptedHttpServer newServer() {
        try {
            return new ScriptedHttpServer();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void stopFake() throws Exception {
        fake.close();
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        String base = "llm:compat?maxRetries=0&provider=openai-compatible&baseUrl=" + fake.baseUrl() + "/v1&model=some-model";
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:chunks").to(base + "&stream=true&streamFormat=chunks&maxTokens=50")
                        .split(body()).streaming().process(e -> received.add(e.getMessage().getBody())).end();
                from("direct:text").to(base + "&stream=true")
                        .split(body()).streaming().process(e -> received.add(e.getMessage().getBody())).end();
                from("direct:raw").to(base + "&stream=true&reasoningFormat=none")
                        .split(body()).streaming().process(e -> received.add(e.getMessage().getBody())).end();
                from("direct:chat").to(base + "&apiKey=" + KEY);
                from("direct:apiKeyHeader").to(base + "&apiKey=" + KEY + "&authHeader=api-key&authScheme=");
                from("direct:noUsage").to(base + "&stream=true&streamUsage=false")
                        .split(body()).streaming().process(e -> received.add(e.getMessage().getBody())).end();
            }
        };
    }

    private void answer(String fixture) {
        fake.then(ex -> ex.respond(200, "application/json", fixture(fixture)));
    }

    @Test
    void deepSeekReasoningContentStreamsAsThinking() throws Exception {
        fake.then(streamOf("stream-reasoning-content.sse"));

        Exchange out = template.request("direct:chunks", e -> e.getMessage().setBody("Which is smaller, 9.11 or 9.8?"));

        assertThat(out.getException()).isNull();
        assertThat(received.subList(0, 4)).containsExactly(
                new ChatChunk.ThinkingDelta("Compare "), new ChatChunk.ThinkingDelta("the tenths."),
                new ChatChunk.TextDelta("9.11 is "), new ChatChunk.TextDelta("smaller."));
        assertThat(out.getMessage().getHeader(LlmConstants.THINKING)).isEqualTo("Compare the tenths.");
        assertThat(out.getMessage().getHeader(LlmConstants.INPUT_TOKENS)).isEqualTo(15L);
        assertThat(out.getMessage().getHeader(LlmConstants.OUTPUT_TOKENS)).isEqualTo(40L);
        assertThat(out.getMessage().getHeader(LlmConstants.PROVIDER)).isEqualTo("openai-compatible");

        ScriptedHttpServer.Request request = fake.requests().get(0);
        assertThat(request.header("authorization")).isNull();
        JsonNode body = Json.parse(request.body());
        assertThat(body.get("max_tokens").asInt()).isEqualTo(50);
        assertThat(body.has("max_completion_tokens")).isFalse();
        // on by default: without it a stream reports no usage, and token limits cannot charge it
        assertThat(body.at("/stream_options/include_usage").asBoolean()).isTrue();
        awaitNoLeasedConnections();
    }

    @Test
    void vllmReasoningFieldStreamsAsThinking() {
        fake.then(streamOf("stream-reasoning.sse"));

        Exchange out = template.request("direct:text", e -> e.getMessage().setBody("2+2?"));

        assertThat(out.getException()).isNull();
        assertThat(received).containsExactly("4");
        assertThat(out.getMessage().getHeader(LlmConstants.THINKING)).isEqualTo("Two plus two is four.");
        assertThat(out.getMessage().getHeader(LlmConstants.FINISH_REASON)).isEqualTo("stop");
    }

    @Test
    void groqThinkTagsSplitAcrossChunks() {
        fake.then(streamOf("stream-think-tags.sse"));

        Exchange out = template.request("direct:text", e -> e.getMessage().setBody("The answer?"));

        assertThat(out.getException()).isNull();
        assertThat(received).containsExactly("The answer", " is 42.");
        assertThat(out.getMessage().getHeader(LlmConstants.THINKING)).isEqualTo("\nLet me think.\n");
        // Groq reports streamed usage under x_groq
        assertThat(out.getMessage().getHeader(LlmConstants.INPUT_TOKENS)).isEqualTo(11L);
        assertThat(out.getMessage().getHeader(LlmConstants.OUTPUT_TOKENS)).isEqualTo(20L);
    }

    @Test
    void reasoningFormatNoneLeavesContentUntouched() {
        fake.then(streamOf("stream-think-tags.sse"));

        Exchange out = template.request("direct:raw", e -> e.getMessage().setBody("The answer?"));

        assertThat(out.getException()).isNull();
        assertThat(String.join("", received.stream().map(String::valueOf).toList()))
                .isEqualTo("<think>\nLet me think.\n</think>\n\nThe answer is 42.");
        assertThat(out.getMessage().getHeader(LlmConstants.THINKING)).isNull();
    }

    @Test
    void blockingReasoningContent() {
        answer("chat-reasoning-content.json");

        Exchange out = template.request("direct:chat", e -> e.getMessage().setBody("Which is smaller?"));

        assertThat(out.getMessage().getBody()).isEqualTo("9.11 is smaller than 9.8.");
        assertThat(out.getMessage().getHeader(LlmConstants.THINKING)).isEqualTo("Compare the tenths: 1 is less than 8.");
        assertThat(out.getMessage().getHeader(LlmConstants.MODEL)).isEqualTo("deepseek-reasoner");
        assertThat(out.getProperty(LlmConstants.RESPONSE_PROPERTY, dev.camelllm.api.ChatResponse.class).usage()
                .reasoningTokens()).isEqualTo(30);
        assertThat(fake.requests().get(0).header("authorization")).isEqualTo("Bearer " + KEY);
    }

    @Test
    void blockingThinkTags() {
        answer("chat-think-tags.json");

        Exchange out = template.request("direct:chat", e -> e.getMessage().setBody("Hello"));

        assertThat(out.getMessage().getBody()).isEqualTo("Hi there!");
        assertThat(out.getMessage().getHeader(LlmConstants.THINKING)).isEqualTo("\nThe user greets me. Answer briefly.\n");
    }

    @Test
    void customAuthHeaderWithoutSchemeSendsTheRawKey() {
        answer("chat-text.json");

        template.requestBody("direct:apiKeyHeader", "Hi", String.class);

        ScriptedHttpServer.Request request = fake.requests().get(0);
        assertThat(request.header("api-key")).isEqualTo(KEY);
        assertThat(request.header("authorization")).isNull();
    }

    @Test
    void streamUsageCanBeTurnedOffForAServerThatRejectsIt() throws Exception {
        fake.then(streamOf("stream-text.sse"));

        Exchange out = template.request("direct:noUsage", e -> e.getMessage().setBody("Hi"));

        assertThat(out.getException()).isNull();
        assertThat(Json.parse(fake.requests().get(0).body()).has("stream_options")).isFalse();
    }

    @Test
    void baseUrlIsRequired() throws Exception {
        try (CamelContext ctx = new DefaultCamelContext()) {
            ctx.addComponent("llm", new LlmComponent());
            ctx.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").to("llm:compat?maxRetries=0&provider=openai-compatible&model=llama3");
                }
            });

            Throwable t = catchThrowable(ctx::start);
            while (t != null && !(t instanceof LlmConfigurationException)) {
                t = t.getCause();
            }
            assertThat(t).isNotNull();
            assertThat(t.getMessage()).contains("'baseUrl'").contains("openai-compatible");
        }
    }
}
