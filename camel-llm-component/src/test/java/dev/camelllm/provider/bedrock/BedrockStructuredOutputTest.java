package dev.camelllm.provider.bedrock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.http.NetworkSettings;
import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.ResponseFormat;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.api.Usage;
import dev.camelllm.component.LlmComponent;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.component.ProviderSettingsBuilder;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatStream;
import dev.camelllm.spi.Json;
import dev.camelllm.spi.ProviderContext;
import dev.camelllm.testsupport.ScriptedHttpServer;
import dev.camelllm.testsupport.TestCall;

import static dev.camelllm.provider.bedrock.BedrockWire.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Structured output on Bedrock as a forced tool: the schema goes as the only tool's inputSchema with
 * toolChoice.tool, and the toolUse input comes back as the answer's text with finish STOP, plain and streamed.
 */
@Timeout(60)
class BedrockStructuredOutputTest {

    private static final Map<String, Object> TICKET = Map.of("type", "object",
            "properties", Map.of("category", Map.of("type", "string", "enum", List.of("billing", "technical", "other")),
                    "urgency", Map.of("type", "integer", "minimum", 1, "maximum", 5)),
            "required", List.of("category", "urgency"), "additionalProperties", false);
    private static final String VALID = "{\"category\":\"billing\",\"urgency\":3,\"summary\":\"Charged twice\"}";

    private ScriptedHttpServer fake;
    private final List<ChatProvider> providers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fake = new ScriptedHttpServer();
    }

    @AfterEach
    void stop() throws Exception {
        providers.forEach(ChatProvider::close);
        fake.close();
        assertThat(fake.errors()).isEmpty();
    }

    private ChatProvider provider(Consumer<LlmConfiguration> more) {
        LlmConfiguration c = new LlmConfiguration();
        c.setProvider("bedrock");
        c.setModel(MODEL);
        c.setRegion(REGION);
        c.setAccessKey(ACCESS_KEY);
        c.setSecretKey(SECRET_KEY);
        c.setBaseUrl(fake.baseUrl());
        c.setTimeout(10000L);
        more.accept(c);
        ChatProvider p = new BedrockProviderFactory().create(ProviderSettingsBuilder.of(c), ProviderContext.of(null, n -> null, NetworkSettings.direct()));
        providers.add(p);
        return p;
    }

    private static ChatRequest ask(ResponseFormat format) {
        return ChatRequest.builder().messages(List.of(ChatMessage.user("I was charged twice."))).maxTokens(200)
                .responseFormat(format).build();
    }

    private static String toolAnswer(String name, String inputJson, String preamble) {
        String text = preamble == null ? "" : "{\"text\":" + quote(preamble) + "},";
        return "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[" + text + "{\"toolUse\":{\"toolUseId\":"
                + "\"tooluse_Q1\",\"name\":\"" + name + "\",\"input\":" + inputJson + "}}]}},\"stopReason\":\"tool_use\","
                + "\"usage\":{\"inputTokens\":40,\"outputTokens\":15,\"totalTokens\":55},\"metrics\":{\"latencyMs\":90}}";
    }

    private JsonNode body(int i) throws Exception {
        return Json.parse(fake.requests().get(i).body());
    }

    @Test
    void aSchemaIsSentAsAForcedToolAndItsInputIsTheAnswer() throws Exception {
        fake.then(json(toolAnswer("ticket", "{\"category\":\"billing\",\"urgency\":3}", "Here it is.")));

        ChatResponse r = provider(c -> { }).chat(ask(ResponseFormat.jsonSchema("ticket", TICKET)));

        assertThat(Json.parse(r.text())).isEqualTo(Json.parse("{\"category\":\"billing\",\"urgency\":3}"));
        assertThat(r.toolCalls()).isEmpty();
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.rawFinishReason()).isEqualTo("tool_use");
        assertThat(r.usage()).isEqualTo(new Usage(40, 15, 0, 0));
        JsonNode b = body(0);
        assertThat(b.at("/toolConfig/tools")).hasSize(1);
        assertThat(b.at("/toolConfig/tools/0/toolSpec/name").asText()).isEqualTo("ticket");
        assertThat(b.at("/toolConfig/tools/0/toolSpec/inputSchema/json")).isEqualTo(Json.MAPPER.valueToTree(TICKET));
        assertThat(b.at("/toolConfig/toolChoice/tool/name").asText()).isEqualTo("ticket");
        // no instruction in the system prompt: the tool carries the format
        assertThat(b.has("system")).isFalse();
    }

    @Test
    void jsonObjectGetsAPermissiveObjectSchemaUnderTheDefaultName() throws Exception {
        fake.then(json(toolAnswer(BedrockRequestWriter.ANSWER_TOOL, "{\"anything\":[1,2]}", null)));

        ChatResponse r = provider(c -> { }).chat(ask(ResponseFormat.JSON_OBJECT));

        assertThat(r.text()).isEqualTo("{\"anything\":[1,2]}");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        JsonNode b = body(0);
        assertThat(b.at("/toolConfig/tools/0/toolSpec/name").asText()).isEqualTo("json_answer");
        assertThat(b.at("/toolConfig/tools/0/toolSpec/inputSchema/json/type").asText()).isEqualTo("object");
        assertThat(b.at("/toolConfig/tools/0/toolSpec/inputSchema/json/additionalProperties").asBoolean()).isTrue();
        assertThat(b.at("/toolConfig/toolChoice/tool/name").asText()).isEqualTo("json_answer");
    }

    @Test
    void aFormatNameBedrockWouldRejectIsMadeAValidToolName() throws Exception {
        fake.then(json(toolAnswer("my_ticket_v1", "{\"category\":\"other\",\"urgency\":1}", null)));

        ChatResponse r = provider(c -> { }).chat(ask(ResponseFormat.jsonSchema("my ticket.v1", TICKET)));

        assertThat(r.text()).isEqualTo("{\"category\":\"other\",\"urgency\":1}");
        assertThat(body(0).at("/toolConfig/tools/0/toolSpec/name").asText()).isEqualTo("my_ticket_v1");
    }

    @Test
    void theStreamedToolInputFragmentsBecomeTextDeltas() throws Exception {
        fake.then(stream(messageStart(), toolStart(0, "tooluse_S1", "ticket"), toolDelta(0, "{\"category\":"),
                toolDelta(0, "\"technical\",\"urgency\":2}"), blockStop(0), messageStop("tool_use"), metadata(40, 15, 0, 0)));

        List<ChatChunk> chunks = new ArrayList<>();
        try (ChatStream s = provider(c -> { }).stream(ask(ResponseFormat.jsonSchema("ticket", TICKET)),
                new TestCall(Duration.ofSeconds(10)))) {
            s.forEachRemaining(chunks::add);
        }

        assertThat(chunks).containsExactly(new ChatChunk.TextDelta("{\"category\":"),
                new ChatChunk.TextDelta("\"technical\",\"urgency\":2}"), new ChatChunk.UsageUpdate(new Usage(40, 15, 0, 0)),
                new ChatChunk.Finish(FinishReason.STOP, "tool_use"));
        JsonNode b = body(0);
        assertThat(fake.requests().get(0).path()).endsWith("/converse-stream");
        assertThat(b.at("/toolConfig/toolChoice/tool/name").asText()).isEqualTo("ticket");
    }

    @Test
    void aFormatWithTheRequestsOwnToolsIsRefusedNamingBoth() {
        ToolSpec tool = new ToolSpec("lookup", "Look an order up.", Map.of("type", "object"));
        ChatRequest both = ask(ResponseFormat.jsonSchema("ticket", TICKET)).toBuilder().tools(List.of(tool)).build();

        LlmException e = catchThrowableOfType(() -> provider(c -> { }).chat(both), LlmException.class);

        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(e.getMessage()).contains("responseFormat").contains("tools");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void withThinkingOrANonObjectSchemaTheFormatIsAnInstructionInstead() throws Exception {
        fake.then(json(converseText("{\"category\":\"billing\",\"urgency\":3}", "end_turn", 9, 4)),
                json(converseText("[1,2,3]", "end_turn", 9, 4)));
        ChatProvider p = provider(c -> { });

        ChatResponse thinking = p.chat(ask(ResponseFormat.jsonSchema("ticket", TICKET)).toBuilder().maxTokens(4000)
                .thinkingBudget(1024).build());
        ChatResponse array = p.chat(ask(ResponseFormat.jsonSchema("numbers", Map.of("type", "array"))));

        assertThat(thinking.text()).isEqualTo("{\"category\":\"billing\",\"urgency\":3}");
        assertThat(array.text()).isEqualTo("[1,2,3]");
        for (int i = 0; i < 2; i++) {
            JsonNode b = body(i);
            assertThat(b.has("toolConfig")).isFalse();
            assertThat(b.at("/system/0/text").asText()).contains("JSON schema");
        }
    }

    @Test
    void throughALlmRouteAnInvalidToolAnswerIsReAskedAndTheValidOneIsTheBody() throws Exception {
        fake.then(json(toolAnswer("ticket", "{\"category\":\"weather\",\"urgency\":9,\"summary\":\"x\"}", null)),
                json(toolAnswer("ticket", VALID, null)));
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            LlmComponent llm = new LlmComponent();
            llm.setEnvironment(n -> null);
            ctx.addComponent("llm", llm);
            ctx.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:ticket").to("llm:ticket?provider=bedrock&model=" + MODEL + "&region=" + REGION
                            + "&baseUrl=" + fake.baseUrl() + "&accessKey=RAW(" + ACCESS_KEY + ")&secretKey=RAW("
                            + SECRET_KEY + ")&maxRetries=0&responseFormat=resource:classpath:schemas/ticket.json");
                }
            });
            ctx.start();

            Exchange out = ctx.createProducerTemplate().request("direct:ticket", e -> e.getMessage().setBody("Charged twice."));

            assertThat(out.getException()).isNull();
            assertThat(Json.parse(out.getMessage().getBody(String.class))).isEqualTo(Json.parse(VALID));
        }
        assertThat(fake.requests()).hasSize(2);
        JsonNode reask = body(1);
        assertThat(reask.at("/toolConfig/toolChoice/tool/name").asText()).isEqualTo("ticket");
        // the invalid answer is the assistant's turn as text, then the validation errors
        assertThat(reask.at("/messages/1/role").asText()).isEqualTo("assistant");
        assertThat(reask.at("/messages/1/content/0/text").asText()).contains("weather");
        assertThat(reask.at("/messages/2/content/0/text").asText()).contains("category");
    }
}
