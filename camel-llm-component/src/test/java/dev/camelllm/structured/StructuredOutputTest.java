package dev.camelllm.structured;

import java.util.List;
import java.util.Map;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.api.LlmStructuredOutputException;
import dev.camelllm.api.ResponseFormat;
import dev.camelllm.api.Usage;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checks on their own: fences, schema errors, json_object, the re-ask loop, and what fails at start. */
class StructuredOutputTest {

    static final Map<String, Object> SCHEMA = Map.of("type", "object",
            "properties", Map.of("n", Map.of("type", "integer")), "required", List.of("n"),
            "additionalProperties", false);

    @Test
    void onlyAWholeSingleJsonFenceIsTakenOff() {
        assertThat(Answers.unfence("```json\n{\"n\":1}\n```")).isEqualTo("{\"n\":1}");
        assertThat(Answers.unfence("  ```\n{\"n\":1}\n```  ")).isEqualTo("{\"n\":1}");
        assertThat(Answers.unfence("```JSON\n{\"n\":1}\n```")).isEqualTo("{\"n\":1}");
        // text around the block, another language, two blocks: left as they are (and then invalid)
        assertThat(Answers.unfence("Here: ```json\n{\"n\":1}\n```")).startsWith("Here:");
        assertThat(Answers.unfence("```python\nprint(1)\n```")).startsWith("```python");
        assertThat(Answers.unfence("```json\n{}\n```\n```json\n{}\n```")).startsWith("```json");
    }

    @Test
    void checksParseValidateAndType() {
        StructuredOutput so = StructuredOutput.of(ResponseFormat.jsonSchema("n", SCHEMA), null, 1);
        assertThat(so.check("{\"n\":3}").valid()).isTrue();
        assertThat(so.check("{\"n\":3} trailing").errors()).containsExactly("the answer is not a single JSON document");
        assertThat(so.check("").errors()).singleElement().asString().contains("empty");
        assertThat(so.check("{\"n\":\"3\",\"x\":1}").errors()).hasSize(2)
                .anySatisfy(e -> assertThat(e).contains("n").contains("integer"))
                .anySatisfy(e -> assertThat(e).contains("x"));

        StructuredOutput object = StructuredOutput.of(ResponseFormat.JSON_OBJECT, null, 0);
        assertThat(object.check("{\"any\":true}").valid()).isTrue();
        assertThat(object.check("[1,2]").errors()).containsExactly("the answer is JSON but not a JSON object");
        assertThat(StructuredOutput.of(ResponseFormat.TEXT, null, 2)).isNull();
        assertThat(StructuredOutput.of(null, null, 2)).isNull();
    }

    @Test
    void aValueThatValidatesButDoesNotFitTheClassIsAnError() {
        StructuredOutput so = StructuredOutput.of(ResponseFormat.jsonSchema("t", Map.of("type", "object")), Ticket.class, 0);
        assertThat(so.check("{\"category\":\"billing\",\"urgency\":2,\"summary\":\"s\"}").value())
                .isEqualTo(new Ticket(Ticket.Category.BILLING, 2, "s"));
        assertThat(so.check("{\"category\":\"weather\"}").errors()).singleElement().asString()
                .startsWith("the JSON cannot be read as Ticket");
    }

    @Test
    void theLoopReasksWithTheConversationAndStopsAtTheRetries() {
        StructuredOutput so = StructuredOutput.of(ResponseFormat.jsonSchema("n", SCHEMA), null, 2);
        ChatRequest request = ChatRequest.builder().user("Give n").build();
        List<ChatRequest> asked = new java.util.ArrayList<>();

        StructuredOutput.Result ok = so.complete(request, answer("no"), r -> {
            asked.add(r);
            return answer(asked.size() == 1 ? "{\"n\":\"x\"}" : "{\"n\":7}");
        });
        assertThat(ok.repairs()).isEqualTo(2);
        assertThat(ok.json()).isEqualTo("{\"n\":7}");
        assertThat(asked.get(1).messages()).hasSize(5); // user, no, errors, {"n":"x"}, errors
        assertThat(asked.get(1).messages().get(3).text()).isEqualTo("{\"n\":\"x\"}");

        assertThatThrownBy(() -> so.complete(request, answer("no"), r -> answer("still no")))
                .isInstanceOfSatisfying(LlmStructuredOutputException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(3);
                    assertThat(e.lastOutput()).isEqualTo("still no");
                });
    }

    @Test
    void aRemoteRefIsNeverFetched() throws Exception {
        try (ScriptedHttpServer server = new ScriptedHttpServer()) {
            server.then(ex -> ex.respond(200, "application/json", "{\"type\":\"integer\"}"));
            Map<String, Object> schema = Map.of("$ref", server.baseUrl() + "/schema.json");
            assertThatThrownBy(() -> StructuredOutput.of(ResponseFormat.jsonSchema("r", schema), null, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be used");
            assertThat(server.requests()).isEmpty();
        }
    }

    @Test
    void optionsThatCannotWorkFailAtStartNamingTheOption() throws Exception {
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            assertThatThrownBy(() -> ResponseFormats.resolve(ctx, "json_schema", null))
                    .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("responseFormat")
                    .hasMessageContaining("outputClass");
            assertThatThrownBy(() -> ResponseFormats.resolve(ctx, null, "com.acme.Missing"))
                    .hasMessageContaining("outputClass").hasMessageContaining("com.acme.Missing");
            assertThatThrownBy(() -> ResponseFormats.resolve(ctx, "text", Ticket.class.getName()))
                    .hasMessageContaining("outputClass").hasMessageContaining("needs a JSON schema");
            assertThatThrownBy(() -> ResponseFormats.resolve(ctx, "resource:classpath:schemas/none.json", null))
                    .hasMessageContaining("cannot read the schema resource:classpath:schemas/none.json");
            assertThatThrownBy(() -> ResponseFormats.resolve(ctx, "http://example.com/s.json", null))
                    .hasMessageContaining("responseFormat");
            assertThatThrownBy(() -> StructuredOutput.of(ResponseFormat.jsonSchema("b", Map.of("type", 5)), null, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid JSON schema")
                    .hasMessageContaining("type");

            ResponseFormats.Resolved derived = ResponseFormats.resolve(ctx, "json_schema", Ticket.class.getName());
            assertThat(derived.outputClass()).isEqualTo(Ticket.class);
            assertThat(derived.format().name()).isEqualTo("Ticket");
            assertThat(ResponseFormats.resolve(ctx, "classpath:schemas/ticket.json", null).format().name())
                    .isEqualTo("ticket");
            assertThat(ResponseFormats.resolve(ctx, "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\","
                    + "\"strict\":false,\"schema\":{\"type\":\"object\"}}}", null).format())
                    .isEqualTo(new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "x", Map.of("type", "object"), false));
        }
    }

    private static ChatResponse answer(String text) {
        return new ChatResponse(ChatMessage.assistant(text), FinishReason.STOP, "stop", Usage.EMPTY, "fake", "m", -1, 1);
    }
}
