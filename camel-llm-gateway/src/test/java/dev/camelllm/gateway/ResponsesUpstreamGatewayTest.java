package dev.camelllm.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.ObjectMappers;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import dev.camelllm.spi.Json;
import dev.camelllm.testsupport.ScriptedHttpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Responses client in front of a profile on OpenAI's Responses API ({@code provider=openai-responses},
 * against a loopback fake of it): the reasoning item's {@code encrypted_content} travels upstream → gateway →
 * client → gateway → upstream unchanged, plain and streamed; and a profile whose Responses upstream is down is
 * answered by its fallback, the local model.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResponsesUpstreamGatewayTest {

    private static final String KEY = "gw-responses-0123456789abcdef";
    private static final String PROVIDER_KEY = "sk-provider-responses-SECRET-41";
    private static final String ENCRYPTED = "gAAAAABor0Aw_enc_first_turn_Q2xhdWRlIHNheXMgaGk=";
    private static final String ARGUMENTS = "{\"city\":\"Paris\"}";

    private static Main main;
    private static ScriptedHttpServer upstream;
    private static OpenAIClient client;

    @BeforeAll
    static void startGateway() throws Exception {
        upstream = new ScriptedHttpServer();
        int port = GatewayTestSupport.freePort();
        Properties p = GatewayTestSupport.serverOn(port);
        String llm = "camel.component.llm.";
        p.put(llm + "profiles[local].provider", "onnx");
        p.put(llm + "profiles[local].model-path", GatewayTestSupport.tinyModel().toString());
        p.put(llm + "profiles[local].enable-thinking", "false");
        p.put(llm + "profiles[local].max-tokens", "64");
        p.put(llm + "profiles[resp-up].provider", "openai-responses");
        p.put(llm + "profiles[resp-up].base-url", upstream.baseUrl() + "/v1");
        p.put(llm + "profiles[resp-up].model", "o4-mini");
        p.put(llm + "profiles[resp-up].api-key", PROVIDER_KEY);
        p.put(llm + "profiles[resp-up].max-retries", "0");
        p.put(llm + "profiles[resp-down].provider", "openai-responses");
        p.put(llm + "profiles[resp-down].base-url", "http://127.0.0.1:" + GatewayTestSupport.freePort() + "/v1");
        p.put(llm + "profiles[resp-down].model", "o4-mini");
        p.put(llm + "profiles[resp-down].api-key", PROVIDER_KEY);
        p.put(llm + "profiles[resp-down].max-retries", "0");
        p.put(llm + "profiles[resp-down].fallbacks", "local");
        p.put(GatewayConfiguration.PREFIX + "keys.full.key", KEY);
        main = new Main();
        main.setOverrideProperties(p);
        main.configure().addRoutesBuilder(new LlmGatewayRoutes());
        main.start();
        client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1").apiKey(KEY).maxRetries(0)
                .timeout(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    static void stopGateway() throws Exception {
        if (client != null) {
            client.close();
        }
        if (main != null) {
            main.stop();
        }
        upstream.close();
    }

    @BeforeEach
    void resetUpstream() {
        upstream.reset();
    }

    private static FunctionTool weatherTool() throws Exception {
        return FunctionTool.builder().name("get_weather").description("Weather").strict(false)
                .parameters(ObjectMappers.jsonMapper().readValue("{\"type\":\"object\",\"properties\":{\"city\":"
                        + "{\"type\":\"string\"}}}", FunctionTool.Parameters.class)).build();
    }

    private static ResponseCreateParams.Builder ask(String model) throws Exception {
        return ResponseCreateParams.builder().model(model).addTool(weatherTool())
                .reasoning(Reasoning.builder().effort(ReasoningEffort.MEDIUM).build());
    }

    private static List<ResponseInputItem> nextTurn(Response turn1) {
        List<ResponseInputItem> input = new ArrayList<>();
        input.add(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.USER)
                .content("Weather in Paris?").build()));
        for (ResponseOutputItem item : turn1.output()) {
            item.reasoning().ifPresent(r -> input.add(ResponseInputItem.ofReasoning(r)));
            item.message().ifPresent(m -> input.add(ResponseInputItem.ofResponseOutputMessage(m)));
            item.functionCall().ifPresent(f -> input.add(ResponseInputItem.ofFunctionCall(f)));
        }
        input.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                .callId("call_12345xyz").output("18C").build()));
        return input;
    }

    private static ScriptedHttpServer.Script answer(String json) {
        return ex -> ex.respond(200, "application/json", Json.write(Json.parse(json)));
    }

    private static final String TOOL_TURN = """
            {"id":"resp_1","object":"response","created_at":1756315696,"status":"completed","error":null,
             "incomplete_details":null,"model":"o4-mini-2025-04-16","output":[
              {"id":"rs_1","type":"reasoning","encrypted_content":"%s",
               "summary":[{"type":"summary_text","text":"I should call get_weather."}]},
              {"id":"fc_1","type":"function_call","status":"completed","arguments":"{\\"city\\":\\"Paris\\"}",
               "call_id":"call_12345xyz","name":"get_weather"}],
             "store":false,"usage":{"input_tokens":75,"input_tokens_details":{"cached_tokens":64},"output_tokens":210,
             "output_tokens_details":{"reasoning_tokens":192},"total_tokens":285}}""".formatted(ENCRYPTED);

    private static final String TEXT_TURN = """
            {"id":"resp_2","object":"response","created_at":1756315700,"status":"completed","error":null,
             "incomplete_details":null,"model":"o4-mini-2025-04-16","output":[{"type":"message","id":"msg_2",
             "status":"completed","role":"assistant","content":[{"type":"output_text","text":"18C in Paris.","annotations":[]}]}],
             "store":false,"usage":{"input_tokens":90,"output_tokens":6,"total_tokens":96}}""";

    @Test
    void theEncryptedReasoningOfAResponsesUpstreamRoundTripsThroughTheClient() throws Exception {
        upstream.then(answer(TOOL_TURN), answer(TEXT_TURN));

        Response turn1 = client.responses().create(ask("resp-up").input("Weather in Paris?").build()).validate();

        assertThat(turn1.output().get(0).reasoning().orElseThrow().encryptedContent()).hasValue(ENCRYPTED);
        ResponseFunctionToolCall call = turn1.output().get(1).functionCall().orElseThrow();
        assertThat(call.callId()).isEqualTo("call_12345xyz");
        assertThat(call.arguments()).isEqualTo(ARGUMENTS);
        assertThat(turn1.usage().orElseThrow().outputTokensDetails().reasoningTokens()).isEqualTo(192);
        assertThat(turn1.usage().orElseThrow().inputTokensDetails().cachedTokens()).isEqualTo(64);
        JsonNode sent1 = Json.parse(upstream.requests().get(0).body());
        assertThat(sent1.path("reasoning").path("effort").asText()).isEqualTo("medium");
        assertThat(sent1.path("include").get(0).asText()).isEqualTo("reasoning.encrypted_content");
        assertThat(upstream.requests().get(0).header("authorization")).isEqualTo("Bearer " + PROVIDER_KEY);

        Response turn2 = client.responses().create(ask("resp-up").inputOfResponse(nextTurn(turn1)).build()).validate();

        assertThat(turn2.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text())
                .isEqualTo("18C in Paris.");
        JsonNode input = Json.parse(upstream.requests().get(1).body()).path("input");
        assertThat(input).extracting(i -> i.path("type").asText())
                .containsExactly("message", "reasoning", "function_call", "function_call_output");
        assertThat(input.get(1).path("encrypted_content").asText()).isEqualTo(ENCRYPTED);
        assertThat(input.get(1).path("summary").get(0).path("text").asText()).isEqualTo("I should call get_weather.");
        assertThat(input.get(2).path("call_id").asText()).isEqualTo("call_12345xyz");
        assertThat(input.get(3).path("output").asText()).isEqualTo("18C");
        assertThat(upstream.requests().get(1).body()).doesNotContain(KEY);
    }

    @Test
    void aStreamedResponsesUpstreamReachesTheClientWithItsEncryptedReasoning() throws Exception {
        upstream.then(ex -> {
            ex.startStream(200);
            for (String e : new String[] {
                    "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_s\",\"status\":\"in_progress\",\"output\":[]}}",
                    "{\"type\":\"response.output_item.added\",\"sequence_number\":1,\"output_index\":0,\"item\":{\"id\":\"rs_s\",\"type\":\"reasoning\",\"summary\":[]}}",
                    "{\"type\":\"response.reasoning_summary_text.delta\",\"sequence_number\":2,\"item_id\":\"rs_s\",\"output_index\":0,\"summary_index\":0,\"delta\":\"Call it.\"}",
                    "{\"type\":\"response.output_item.done\",\"sequence_number\":3,\"output_index\":0,\"item\":{\"id\":\"rs_s\",\"type\":\"reasoning\",\"encrypted_content\":\"" + ENCRYPTED + "\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"Call it.\"}]}}",
                    "{\"type\":\"response.output_item.added\",\"sequence_number\":4,\"output_index\":1,\"item\":{\"id\":\"fc_s\",\"type\":\"function_call\",\"arguments\":\"\",\"call_id\":\"call_s\",\"name\":\"get_weather\"}}",
                    "{\"type\":\"response.function_call_arguments.delta\",\"sequence_number\":5,\"item_id\":\"fc_s\",\"output_index\":1,\"delta\":\"{\\\"city\\\":\\\"Paris\\\"}\"}",
                    "{\"type\":\"response.output_item.done\",\"sequence_number\":6,\"output_index\":1,\"item\":{\"id\":\"fc_s\",\"type\":\"function_call\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\",\"call_id\":\"call_s\",\"name\":\"get_weather\"}}",
                    "{\"type\":\"response.completed\",\"sequence_number\":7,\"response\":{\"id\":\"resp_s\",\"status\":\"completed\",\"output\":[],\"usage\":{\"input_tokens\":20,\"output_tokens\":30,\"output_tokens_details\":{\"reasoning_tokens\":12}}}}"}) {
                ex.send("event: " + Json.parse(e).path("type").asText() + "\ndata: " + e + "\n\n");
            }
            ex.endStream();
        });
        ResponseAccumulator accumulator = ResponseAccumulator.create();

        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
                ask("resp-up").input("Weather in Paris?").build())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        Response whole = accumulator.response();
        assertThat(whole.output().get(0).reasoning().orElseThrow().encryptedContent()).hasValue(ENCRYPTED);
        assertThat(whole.output().get(1).functionCall().orElseThrow().arguments()).isEqualTo(ARGUMENTS);
        assertThat(whole.output().get(1).functionCall().orElseThrow().callId()).isEqualTo("call_s");
        assertThat(whole.usage().orElseThrow().outputTokensDetails().reasoningTokens()).isEqualTo(12);
        assertThat(Json.parse(upstream.requests().get(0).body()).path("stream").asBoolean()).isTrue();
    }

    @Test
    void aResponsesProfileThatIsDownIsAnsweredByItsFallback() throws Exception {
        Response answer = client.responses().create(ResponseCreateParams.builder().model("resp-down").input("Hello")
                .build()).validate();

        assertThat(answer.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text())
                .isEqualTo("Hello! How can I help you today?");
    }
}
