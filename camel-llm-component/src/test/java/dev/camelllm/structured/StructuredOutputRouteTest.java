package dev.camelllm.structured;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmStructuredOutputException;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.provider.openai.OpenAiTestSupport;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Structured output through llm: routes on a loopback OpenAI upstream: the schema sent as a strict
 * json_schema response format, invalid answers re-asked with their validation errors, the typed error when
 * the re-asks run out, outputClass bodies routed on with choice, and the end of a stream validated.
 */
class StructuredOutputRouteTest extends OpenAiTestSupport {

    static final String VALID = "{\"category\":\"billing\",\"urgency\":4,\"summary\":\"Charged twice for March\"}";

    @TempDir
    static Path dir;

    final ScriptedHttpServer server = newServer();

    private static ScriptedHttpServer newServer() {
        try {
            return new ScriptedHttpServer();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    private String llm(String name, String options) {
        return "llm:" + name + "?provider=openai&model=gpt-4o-mini&apiKey=" + KEY + "&maxRetries=0&baseUrl="
                + server.baseUrl() + "/v1&" + options;
    }

    @Override
    protected RouteBuilder createRouteBuilder() throws Exception {
        Path schemaFile = dir.resolve("ticket-schema.json");
        try (var in = getClass().getResourceAsStream("/schemas/ticket.json")) {
            Files.write(schemaFile, in.readAllBytes());
        }
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:classpath").to(llm("classpath", "responseFormat=resource:classpath:schemas/ticket.json"));
                from("direct:file").to(llm("file", "responseFormat=file:" + schemaFile));
                from("direct:once").to(llm("once", "responseFormat=resource:classpath:schemas/ticket.json"
                        + "&structuredOutputRetries=1"));
                from("direct:typed")
                        .to(llm("typed", "outputClass=" + Ticket.class.getName()))
                        .choice()
                            .when(simple("${body.category} == 'BILLING'")).to("mock:billing")
                            .otherwise().to("mock:other");
                from("direct:cached").to(llm("cached", "outputClass=" + Ticket.class.getName() + "&cache=true"));
                from("direct:stream")
                        .to(llm("stream", "responseFormat=resource:classpath:schemas/ticket.json&stream=true"))
                        .split(body()).streaming().stopOnException()
                            .to("mock:tokens");
            }
        };
    }

    @Test
    void aSchemaFromTheClasspathIsSentStrictAndAnInvalidAnswerIsRepaired() throws Exception {
        server.then(OpenAiWire.answer("Sure! The ticket is about billing."), OpenAiWire.answer(VALID));

        Exchange out = template.request("direct:classpath", e -> e.getMessage().setBody("I was charged twice in March."));

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(String.class)).isEqualTo(VALID);
        assertThat(out.getMessage().getHeader(LlmConstants.STRUCTURED_OUTPUT_REPAIRS)).isEqualTo(1);
        assertThat(server.requests()).hasSize(2);
        for (ScriptedHttpServer.Request r : server.requests()) {
            JsonNode format = OpenAiWire.body(r).get("response_format");
            assertThat(format.get("type").asText()).isEqualTo("json_schema");
            assertThat(format.get("json_schema").get("name").asText()).isEqualTo("ticket");
            assertThat(format.get("json_schema").get("strict").asBoolean()).isTrue();
            assertThat(format.get("json_schema").get("schema").get("properties").get("category").get("enum"))
                    .hasSize(3);
        }
        // the re-ask: the invalid answer as the assistant's turn, then the errors
        JsonNode messages = OpenAiWire.body(server.requests().get(1)).get("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(1).get("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(1).get("content").asText()).isEqualTo("Sure! The ticket is about billing.");
        assertThat(messages.get(2).get("role").asText()).isEqualTo("user");
        assertThat(messages.get(2).get("content").asText())
                .contains("not a single JSON document")
                .contains("Answer again with only the corrected JSON document");
    }

    @Test
    void aSchemaFromAFileValidatesTooAndSchemaErrorsAreSentBack() throws Exception {
        String wrongEnum = "{\"category\":\"weather\",\"urgency\":9,\"summary\":\"x\"}";
        server.then(OpenAiWire.answer(wrongEnum), OpenAiWire.answer(VALID));

        String body = template.requestBody("direct:file", "I was charged twice.", String.class);

        assertThat(body).isEqualTo(VALID);
        String feedback = OpenAiWire.body(server.requests().get(1)).get("messages").get(2).get("content").asText();
        assertThat(feedback).contains("does not follow the required JSON schema").contains("category")
                .contains("urgency").contains("\"enum\"");
    }

    @Test
    void aFencedAnswerIsReadWithoutItsFenceAndNeedsNoRepair() {
        server.then(OpenAiWire.answer("```json\n" + VALID + "\n```"));

        Exchange out = template.request("direct:classpath", e -> e.getMessage().setBody("Charged twice."));

        assertThat(out.getMessage().getBody(String.class)).isEqualTo(VALID);
        assertThat(out.getMessage().getHeader(LlmConstants.STRUCTURED_OUTPUT_REPAIRS)).isEqualTo(0);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void exhaustedRepairsFailWithTheLastOutputAndItsErrors() {
        server.then(OpenAiWire.answer("{\"category\":\"billing\""), OpenAiWire.answer("{\"category\":\"weather\"}"));

        assertThatThrownBy(() -> template.requestBody("direct:once", "Charged twice.", String.class))
                .isInstanceOf(CamelExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(LlmStructuredOutputException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_OUTPUT);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.attempts()).isEqualTo(2);
                    assertThat(e.lastOutput()).isEqualTo("{\"category\":\"weather\"}");
                    assertThat(String.join("\n", e.errors())).contains("category").contains("urgency");
                    assertThat(e.getMessage()).contains("INVALID_OUTPUT").contains("2 attempts").doesNotContain(KEY);
                });
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void anOutputClassBecomesTheBodyAndItsSchemaIsDerived() throws Exception {
        MockEndpoint billing = getMockEndpoint("mock:billing");
        billing.expectedMessageCount(1);
        getMockEndpoint("mock:other").expectedMessageCount(0);
        server.then(OpenAiWire.answer(VALID));

        Object body = template.requestBody("direct:typed", "I was charged twice in March.");

        assertThat(body).isEqualTo(new Ticket(Ticket.Category.BILLING, 4, "Charged twice for March"));
        MockEndpoint.assertIsSatisfied(context);
        JsonNode js = OpenAiWire.body(server.requests().get(0)).get("response_format").get("json_schema");
        assertThat(js.get("name").asText()).isEqualTo("Ticket");
        JsonNode schema = js.get("schema");
        assertThat(schema.get("additionalProperties").asBoolean(true)).isFalse();
        assertThat(schema.get("required")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("category", "urgency", "summary");
        assertThat(schema.get("properties").get("category").get("enum")).extracting(JsonNode::asText)
                .containsExactly("billing", "technical", "other");
        assertThat(schema.get("properties").get("urgency").get("type").asText()).isEqualTo("integer");
    }

    @Test
    void aValidStreamStreamsAndCompletes() throws Exception {
        server.then(OpenAiWire.stream(List.of("{\"category\":\"billing\",", "\"urgency\":4,",
                "\"summary\":\"Charged twice for March\"}")));
        MockEndpoint tokens = getMockEndpoint("mock:tokens");
        tokens.expectedMessageCount(3);

        Exchange out = template.request("direct:stream", e -> e.getMessage().setBody("Charged twice."));

        assertThat(out.getException()).isNull();
        tokens.assertIsSatisfied();
        StringBuilder text = new StringBuilder();
        tokens.getExchanges().forEach(e -> text.append(e.getMessage().getBody(String.class)));
        assertThat(text.toString()).isEqualTo(VALID);
    }

    @Test
    void anInvalidStreamStreamsThenFailsInsteadOfCompleting() throws Exception {
        server.then(OpenAiWire.stream(List.of("The ticket ", "is about ", "billing.")));
        MockEndpoint tokens = getMockEndpoint("mock:tokens");
        tokens.expectedMessageCount(3);

        Exchange out = template.request("direct:stream", e -> e.getMessage().setBody("Charged twice."));

        // the tokens went on as they came; the end did not validate, so the exchange failed, typed
        tokens.assertIsSatisfied();
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = out.getException(); t != null; t = t.getCause()) {
            chain.add(t);
        }
        assertThat(chain).anySatisfy(t -> assertThat(t).isInstanceOfSatisfying(LlmStructuredOutputException.class,
                e -> assertThat(e.lastOutput()).isEqualTo("The ticket is about billing.")));
        assertThat(out.getMessage().getHeader(LlmConstants.FINISH_REASON)).isNull();
        awaitNoLeasedConnections();
    }

    @Test
    void aCachedAnswerIsOnlyEverAValidOneAndBecomesTheObjectAgain() throws Exception {
        server.then(OpenAiWire.answer("Billing, I think."), OpenAiWire.answer(VALID));

        Object first = template.requestBody("direct:cached", "I was charged twice in March.");
        Exchange second = template.request("direct:cached", e -> e.getMessage().setBody("I was charged twice in March."));

        Ticket expected = new Ticket(Ticket.Category.BILLING, 4, "Charged twice for March");
        assertThat(first).isEqualTo(expected);
        assertThat(second.getMessage().getBody()).isEqualTo(expected);
        assertThat(second.getMessage().getHeader(LlmConstants.ATTEMPTS)).isEqualTo(0);
        // the invalid answer and its repair; the second exchange came from the cache
        assertThat(server.requests()).hasSize(2);
    }
}
