package dev.camelllm.provider.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.api.ResponseFormat;
import dev.camelllm.component.ProviderSettingsBuilder;
import dev.camelllm.spi.ChatStream;
import dev.camelllm.spi.Json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Constrained decoding on the tiny model with a real ONNX Runtime session: 50 support tickets (the prompts it
 * was trained on and many it never saw) answered with the ticket schema, each answer checked by a real JSON
 * Schema validator (networknt); the same prompts without the constraint, which do not validate; streaming,
 * sampling, JSON_OBJECT, the length limit, and schemas outside the subset.
 */
@Timeout(120)
class ConstrainedDecodingTest {

    static final String TICKET_SCHEMA = """
            {"type":"object",
             "properties":{
               "category":{"type":"string","enum":["billing","technical","account","other"]},
               "urgency":{"type":"string","enum":["low","medium","high"]},
               "summary":{"type":"string","minLength":1,"maxLength":40},
               "tags":{"type":"array","maxItems":3,"items":{"type":"string","maxLength":12}},
               "refund":{"type":"boolean"},
               "amount":{"anyOf":[{"type":"number"},{"type":"null"}]}},
             "required":["category","urgency","summary"],
             "additionalProperties":false}""";

    /** The first seven were in the tiny model's training; the rest it never saw. */
    static final List<String> PROMPTS = List.of(
            "Hello", "What is the capital of France?", "What is the weather in Paris?", "Say café", "Count to ten",
            "My invoice is wrong", "The app crashes on start",
            "I was charged twice this month", "Please cancel my subscription", "The login page shows error 500",
            "How do I reset my password?", "My card was declined but the money left my account",
            "The export to CSV produces an empty file", "I need a copy of last year's invoices",
            "Your mobile app drains my battery", "Can I change the email on my account?",
            "The dashboard takes a minute to load", "I want a refund for the annual plan",
            "Two-factor codes never arrive by SMS", "The API returns 429 even at low volume",
            "Where can I download the desktop client?", "My team members cannot see shared folders",
            "The price on the website differs from my bill", "Please delete all my personal data",
            "Notifications stopped working after the update", "I cannot upload files larger than 10 MB",
            "The search finds nothing since yesterday", "Is there a discount for nonprofits?",
            "Our SSO integration with Okta fails", "The invoice lists the wrong VAT number",
            "Dark mode makes the text unreadable", "I was locked out after three attempts",
            "Webhooks are delivered twice", "How do I add a second admin?",
            "The app is slow on Android 14", "My trial ended early",
            "Reports show times in the wrong time zone", "Payment by PayPal is not offered",
            "Café orders show strange symbols ☕ in the receipt", "日本語の請求書が必要です",
            "Printing a report cuts off the last page", "I changed plans and was billed for both",
            "Sync between phone and laptop loses edits", "The chatbot answers in the wrong language",
            "Can I pause my account for two months?", "Emails from you land in spam",
            "The calendar import skips recurring events", "Our usage numbers look too high",
            "asdf qwerty zxcv", "");

    static OnnxProviderFactory factory;
    static OnnxChatProvider provider;
    static Schema validator;
    static ResponseFormat ticketFormat;

    @BeforeAll
    static void load() {
        TinyModel.require();
        factory = new OnnxProviderFactory();
        provider = (OnnxChatProvider) factory.create(ProviderSettingsBuilder.of(TinyModel.config()), TinyModel.context());
        validator = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(TICKET_SCHEMA);
        ticketFormat = ResponseFormat.jsonSchema("ticket", schema(TICKET_SCHEMA));
        provider.checkResponseFormat(ticketFormat);
    }

    @AfterAll
    static void close() {
        if (factory != null) {
            factory.close();
        }
    }

    static Map<String, Object> schema(String json) {
        try {
            return Json.MAPPER.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ChatRequest ticket(String prompt, ResponseFormat format) {
        return ChatRequest.builder().user(prompt).thinkingBudget(0).maxTokens(512).responseFormat(format).build();
    }

    /** Null when the text parses and validates; else why not. */
    static String problem(String text) {
        try {
            JsonNode parsed = Json.MAPPER.readTree(text);
            if (parsed == null || !parsed.isObject()) {
                return "not a JSON object";
            }
        } catch (java.io.IOException e) {
            return "does not parse: " + e.getMessage();
        }
        var errors = validator.validate(text, InputFormat.JSON);
        return errors.isEmpty() ? null : errors.toString();
    }

    @Test
    void constrainedAnswersToFiftyTicketsParseAndValidate() {
        assertThat(PROMPTS).hasSize(50);
        List<String> failures = new ArrayList<>();
        for (String prompt : PROMPTS) {
            ChatResponse r = provider.chat(ticket(prompt, ticketFormat));
            String problem = problem(r.text());
            if (problem != null || r.finishReason() != FinishReason.STOP) {
                failures.add(prompt + " -> " + r.finishReason() + " " + r.text() + " : " + problem);
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void withoutTheConstraintTheSameTicketsDoNotValidate() {
        int valid = 0;
        List<String> samples = new ArrayList<>();
        for (String prompt : PROMPTS) {
            ChatResponse r = provider.chat(ticket(prompt, null));
            if (problem(r.text()) == null) {
                valid++;
            }
            if (samples.size() < 3) {
                samples.add(r.text());
            }
        }
        assertThat(valid).as("unconstrained answers that validate, e.g. %s", samples).isZero();
    }

    @Test
    void aStreamUnderTheConstraintSendsTheDocumentAsTextDeltasAndStopsWhenItIsWhole() {
        String prompt = "The login page shows error 500";
        String whole = provider.chat(ticket(prompt, ticketFormat)).text();
        StringBuilder streamed = new StringBuilder();
        int deltas = 0;
        FinishReason finish = null;
        try (ChatStream stream = provider.stream(ticket(prompt, ticketFormat))) {
            while (stream.hasNext()) {
                ChatChunk c = stream.next();
                if (c instanceof ChatChunk.TextDelta t) {
                    streamed.append(t.text());
                    deltas++;
                    // every prefix the stream has sent can still become a valid document
                    assertThat(dev.camelllm.constraint.JsonGrammars.of(ticketFormat).acceptsPrefix(streamed.toString()))
                            .as(streamed.toString()).isTrue();
                } else if (c instanceof ChatChunk.Finish f) {
                    finish = f.reason();
                }
                assertThat(c).isNotInstanceOf(ChatChunk.ThinkingDelta.class).isNotInstanceOf(ChatChunk.ToolCallDelta.class);
            }
        }
        assertThat(deltas).isGreaterThan(3);
        assertThat(streamed.toString()).isEqualTo(whole);
        assertThat(problem(streamed.toString())).isNull();
        assertThat(finish).isEqualTo(FinishReason.STOP);
    }

    @Test
    void sampledAnswersUnderTheConstraintValidateToo() {
        for (long seed = 1; seed <= 10; seed++) {
            ChatRequest request = ticket("I was charged twice this month", ticketFormat).toBuilder()
                    .temperature(1.2).topP(0.95).seed(seed).build();
            ChatResponse r = provider.chat(request);
            assertThat(problem(r.text())).as("seed %d: %s", seed, r.text()).isNull();
        }
    }

    @Test
    void jsonObjectWithoutASchemaGivesAJsonObject() throws Exception {
        ChatResponse r = provider.chat(ticket("Hello", ResponseFormat.JSON_OBJECT).toBuilder().maxTokens(1024).build());
        // free keys and values may run long on a tiny model; whatever it wrote is an object or was cut at the limit
        if (r.finishReason() == FinishReason.STOP) {
            assertThat(Json.MAPPER.readTree(r.text()).isObject()).as(r.text()).isTrue();
        } else {
            assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
            assertThat(dev.camelllm.constraint.JsonGrammars.of(ResponseFormat.JSON_OBJECT).acceptsPrefix(r.text())).isTrue();
        }
        assertThat(r.text()).startsWith("{");
    }

    @Test
    void aDocumentCutByMaxTokensIsALengthFinishNotAnAnswer() {
        ChatResponse r = provider.chat(ticket("My invoice is wrong", ticketFormat).toBuilder().maxTokens(5).build());
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.usage().outputTokens()).isEqualTo(5);
        assertThat(problem(r.text())).isNotNull();
        assertThat(dev.camelllm.constraint.JsonGrammars.of(ticketFormat).acceptsPrefix(r.text())).isTrue();
    }

    @Test
    void aSchemaOutsideTheSubsetFailsAtStartNamingTheKeyword() {
        ResponseFormat pattern = ResponseFormat.jsonSchema("p", schema(
                "{\"type\":\"object\",\"properties\":{\"email\":{\"type\":\"string\",\"pattern\":\"@\"}}}"));
        assertThatThrownBy(() -> provider.checkResponseFormat(pattern))
                .isInstanceOf(LlmConfigurationException.class)
                .hasMessageContaining("'pattern'").hasMessageContaining("#/properties/email");
        assertThatThrownBy(() -> provider.chat(ticket("Hello", pattern)))
                .isInstanceOf(LlmInvalidRequestException.class).hasMessageContaining("'pattern'");
        // text needs no check
        provider.checkResponseFormat(ResponseFormat.TEXT);
        provider.checkResponseFormat(null);
    }

    @Test
    void theEndpointsProviderPassesTheCheckOnToTheModel() throws Exception {
        ResponseFormat minimum = ResponseFormat.jsonSchema("m", schema("{\"type\":\"integer\",\"minimum\":0}"));
        try (org.apache.camel.CamelContext camel = new org.apache.camel.impl.DefaultCamelContext()) {
            camel.start();
            dev.camelllm.component.LlmEndpoint endpoint = camel.getEndpoint("llm:c?provider=onnx&device=cpu&modelPath="
                    + TinyModel.dir(), dev.camelllm.component.LlmEndpoint.class);
            endpoint.start();
            assertThatThrownBy(() -> endpoint.getProvider().checkResponseFormat(minimum))
                    .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("'minimum'");
            endpoint.getProvider().checkResponseFormat(ticketFormat);
            endpoint.stop();
        }
    }
}
