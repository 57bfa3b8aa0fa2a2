package dev.camelllm.structured;

import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.LlmStructuredOutputException;
import dev.camelllm.api.ResponseFormat;
import dev.camelllm.spi.ChatStream;
import dev.camelllm.spi.Json;

/**
 * What a JSON response format asks of an answer, and what happens when an answer falls short: the answer
 * is parsed and validated against the schema; an invalid one is asked again with the validation errors
 * ({@link RepairPrompt}), up to {@code retries} times, then fails with {@link LlmStructuredOutputException}
 * carrying the last output and its errors. With an output class, the valid answer is also read into it.
 *
 * <p>Model output is untrusted text. One leniency only: an answer that is wholly one fenced block
 * ({@code ```json … ```}) is read without its fence ({@link Answers#unfence}); nothing else is cut or guessed.
 */
public final class StructuredOutput {

    /** The outcome of one answer: the JSON as validated (unfenced), the typed value, or the errors. */
    public record Checked(String json, Object value, List<String> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /** The answer that validated, its JSON text, its typed value (the JsonNode without an output class), the re-asks it took. */
    public record Result(ChatResponse response, String json, Object value, int repairs) {
    }

    private final ResponseFormat format;
    private final SchemaCheck schema;
    private final Class<?> outputClass;
    private final int retries;

    private StructuredOutput(ResponseFormat format, SchemaCheck schema, Class<?> outputClass, int retries) {
        this.format = format;
        this.schema = schema;
        this.outputClass = outputClass;
        this.retries = retries;
    }

    /**
     * The checks for a format; null when there is nothing to check (no format, or text). A schema the validator
     * cannot use throws IllegalArgumentException saying why (the caller names the option or the request field).
     */
    public static StructuredOutput of(ResponseFormat format, Class<?> outputClass, int retries) {
        if (format == null || format.type() == ResponseFormat.Type.TEXT) {
            return null;
        }
        // json_schema without a schema (OpenAI allows one) asks for a JSON object, and is checked as one
        SchemaCheck schema = format.type() == ResponseFormat.Type.JSON_SCHEMA && format.schema() != null
                ? SchemaCheck.compile(format.schema()) : null;
        return new StructuredOutput(format, schema, outputClass, Math.max(0, retries));
    }

    public ResponseFormat format() {
        return format;
    }

    /** The class the answer becomes, or null. */
    public Class<?> outputClass() {
        return outputClass;
    }

    /** Parses and validates one answer (and reads it into the output class). */
    public Checked check(String answer) {
        String json = Answers.unfence(answer);
        JsonNode node = SchemaCheck.parse(json);
        if (node == null) {
            return new Checked(json, null, List.of(json == null || json.isBlank() ? "the answer is empty, not a JSON document"
                    : "the answer is not a single JSON document"));
        }
        List<String> errors = schema != null ? schema.errors(json)
                : node.isObject() ? List.of() : List.of("the answer is JSON but not a JSON object");
        if (!errors.isEmpty()) {
            return new Checked(json, null, errors);
        }
        if (outputClass == null) {
            return new Checked(json, node, List.of());
        }
        try {
            return new Checked(json, Json.MAPPER.treeToValue(node, outputClass), List.of());
        } catch (Exception e) {
            return new Checked(json, null, List.of("the JSON cannot be read as " + outputClass.getSimpleName() + ": "
                    + firstLine(e.getMessage())));
        }
    }

    /**
     * Validates the first answer and re-asks through {@code reask} until one validates or the retries are spent.
     * An answer that ends in tool calls is not the final answer and is passed on unchecked.
     */
    public Result complete(ChatRequest request, ChatResponse first, Function<ChatRequest, ChatResponse> reask) {
        ChatRequest asked = request;
        ChatResponse response = first;
        for (int attempt = 1; ; attempt++) {
            if (response.finishReason() == FinishReason.TOOL_CALLS && !response.toolCalls().isEmpty()) {
                return new Result(response, null, null, attempt - 1);
            }
            Checked checked = check(response.text());
            if (checked.valid()) {
                return new Result(response, checked.json(), checked.value(), attempt - 1);
            }
            if (attempt > retries) {
                throw new LlmStructuredOutputException(response.provider(), response.model(), response.text(),
                        checked.errors(), attempt);
            }
            asked = RepairPrompt.next(asked, response.text(), checked.errors(), format);
            response = reask.apply(asked);
        }
    }

    /** A stream whose end validates the whole answer: an invalid one fails instead of finishing. */
    public ChatStream validating(ChatStream stream, String provider, String model) {
        return new ValidatingStream(stream, this, provider, model);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
