package dev.camelllm.resilience.fault;

import java.util.ArrayList;
import java.util.List;

import dev.camelllm.spi.Json;
import dev.camelllm.testsupport.ScriptedHttpServer;

/**
 * The upstream wire formats the fault suite plays: OpenAI Chat Completions (as OpenAI and as Azure
 * OpenAI's v1 API serve it), Anthropic Messages and Gemini's generateContent.
 * Bodies and SSE events follow the documented formats (see DESIGN.md and the fixtures under
 * src/test/resources/fixtures); every stream is split into a head (no output yet), text events, a tail
 * (finish and usage) and the final event, so a script can stop anywhere in between.
 */
enum Wire {

    OPENAI("openai", "gpt-fault") {
        @Override
        String basePath() {
            return "/v1";
        }

        @Override
        String rawRefusal() {
            return "content_filter";
        }

        @Override
        String path() {
            return "/v1/chat/completions";
        }

        @Override
        String answerJson(String model, String text, int in, int out, boolean refused) {
            return "{\"id\":\"chatcmpl-fault\",\"object\":\"chat.completion\",\"created\":1741569952,\"model\":" + q(model)
                    + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + q(text)
                    + ",\"refusal\":null},\"logprobs\":null,\"finish_reason\":" + q(refused ? "content_filter" : "stop")
                    + "}],\"usage\":{\"prompt_tokens\":" + in + ",\"completion_tokens\":" + out + ",\"total_tokens\":"
                    + (in + out) + "}}";
        }

        @Override
        List<String> head(String model, int in) {
            return List.of(chunk(model, "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null));
        }

        @Override
        String text(String model, String text) {
            return chunk(model, "{\"content\":" + q(text) + "}", null);
        }

        @Override
        List<String> tail(String model, int in, int out, boolean refused) {
            return List.of(chunk(model, "{}", refused ? "content_filter" : "stop"),
                    "data: {\"id\":\"chatcmpl-fault\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,\"model\":"
                    + q(model) + ",\"choices\":[],\"usage\":{\"prompt_tokens\":" + in + ",\"completion_tokens\":" + out
                    + ",\"total_tokens\":" + (in + out) + "}}\n\n");
        }

        @Override
        String finalEvent() {
            return "data: [DONE]\n\n";
        }

        @Override
        String errorEvent() {
            return "data: {\"error\":{\"message\":\"The server had an error while processing your request. Sorry about that!\","
                    + "\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n";
        }

        @Override
        String error(String type, String code, String message) {
            return "{\"error\":{\"message\":" + q(message) + ",\"type\":" + q(type) + ",\"param\":null,\"code\":" + q(code)
                    + "}}";
        }

        @Override
        String serverError() {
            return error("server_error", null, "The server had an error while processing your request. Sorry about that!");
        }

        @Override
        String rateLimited() {
            return error("requests", "rate_limit_exceeded",
                    "Rate limit reached for gpt-fault on requests per min (RPM): Limit 3, Used 3, Requested 1.");
        }

        @Override
        String contextTooLong() {
            return error("invalid_request_error", "context_length_exceeded", "This model's maximum context length is 128000 "
                    + "tokens. However, your messages resulted in 130412 tokens. Please reduce the length of the messages.");
        }

        @Override
        String unauthorized(String echoedKey) {
            return error("invalid_request_error", "invalid_api_key", "Incorrect API key provided: " + echoedKey
                    + ". You can find your API key at https://platform.openai.com/account/api-keys.");
        }

        private String chunk(String model, String delta, String finish) {
            return "data: {\"id\":\"chatcmpl-fault\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,\"model\":"
                    + q(model) + ",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
                    + q(finish) + "}],\"usage\":null}\n\n";
        }
    },

    ANTHROPIC("anthropic", "claude-fault") {
        @Override
        String basePath() {
            return "";
        }

        @Override
        String rawRefusal() {
            return "refusal";
        }

        @Override
        String path() {
            return "/v1/messages";
        }

        @Override
        String answerJson(String model, String text, int in, int out, boolean refused) {
            return "{\"id\":\"msg_fault\",\"type\":\"message\",\"role\":\"assistant\",\"model\":" + q(model)
                    + ",\"content\":[{\"type\":\"text\",\"text\":" + q(text) + "}],\"stop_reason\":"
                    + q(refused ? "refusal" : "end_turn") + ",\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + in
                    + ",\"output_tokens\":" + out + "}}";
        }

        @Override
        List<String> head(String model, int in) {
            return List.of("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_fault\","
                    + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":" + q(model)
                    + ",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + in
                    + ",\"output_tokens\":1}}}\n\n",
                    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                    + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
                    "event: ping\ndata: {\"type\": \"ping\"}\n\n");
        }

        @Override
        String text(String model, String text) {
            return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":" + q(text) + "}}\n\n";
        }

        @Override
        List<String> tail(String model, int in, int out, boolean refused) {
            return List.of("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
                    "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                    + q(refused ? "refusal" : "end_turn") + ",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + out
                    + "}}\n\n");
        }

        @Override
        String finalEvent() {
            return "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        }

        @Override
        String errorEvent() {
            return "event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n";
        }

        @Override
        String error(String type, String code, String message) {
            return "{\"type\":\"error\",\"error\":{\"type\":" + q(type) + ",\"message\":" + q(message) + "}}";
        }

        @Override
        String serverError() {
            return error("api_error", null, "Internal server error");
        }

        @Override
        String rateLimited() {
            return error("rate_limit_error", null,
                    "This request would exceed the rate limit for your organization of 3 requests per minute.");
        }

        @Override
        String contextTooLong() {
            return error("invalid_request_error", null, "prompt is too long: 208310 tokens > 200000 maximum");
        }

        @Override
        String unauthorized(String echoedKey) {
            return error("authentication_error", null, "invalid x-api-key: " + echoedKey);
        }
    },

    /** Azure OpenAI's v1 API: OpenAI's wire format at {@code /openai/v1}, with Azure's own error bodies. */
    AZURE("azure-openai", "gpt-fault-deployment") {
        @Override
        String basePath() {
            return "";
        }

        @Override
        String path() {
            return "/openai/v1/chat/completions";
        }

        @Override
        String rawRefusal() {
            return "content_filter";
        }

        @Override
        String answerJson(String model, String text, int in, int out, boolean refused) {
            return OPENAI.answerJson(model, text, in, out, refused);
        }

        @Override
        List<String> head(String model, int in) {
            // Azure's first event: the prompt's content filter results, no choices
            List<String> head = new ArrayList<>();
            head.add("data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":"
                    + "[{\"prompt_index\":0,\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"}}}]}\n\n");
            head.addAll(OPENAI.head(model, in));
            return head;
        }

        @Override
        String text(String model, String text) {
            return OPENAI.text(model, text);
        }

        @Override
        List<String> tail(String model, int in, int out, boolean refused) {
            return OPENAI.tail(model, in, out, refused);
        }

        @Override
        String finalEvent() {
            return OPENAI.finalEvent();
        }

        @Override
        String errorEvent() {
            return OPENAI.errorEvent();
        }

        @Override
        String error(String type, String code, String message) {
            return OPENAI.error(type, code, message);
        }

        @Override
        String serverError() {
            return "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"The service is temporarily unable to "
                    + "process your request. Please try again later.\"}}";
        }

        @Override
        String rateLimited() {
            return "{\"error\":{\"code\":\"429\",\"message\":\"Requests to the ChatCompletions_Create Operation under Azure "
                    + "OpenAI API version v1 have exceeded token rate limit of your current OpenAI S0 pricing tier.\"}}";
        }

        @Override
        String contextTooLong() {
            return OPENAI.contextTooLong();
        }

        @Override
        String unauthorized(String echoedKey) {
            return "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid subscription key " + echoedKey
                    + " or wrong API endpoint.\"}}";
        }
    },

    /** Gemini's generateContent and streamGenerateContent?alt=sse: no final event, the finish ends the body. */
    GEMINI("gemini", "gemini-fault") {
        @Override
        String basePath() {
            return "/v1beta";
        }

        @Override
        String path() {
            return "/v1beta/models/gemini-fault:";
        }

        @Override
        boolean matches(String requestPath) {
            return requestPath.startsWith("/v1beta/models/");
        }

        @Override
        String rawRefusal() {
            return "SAFETY";
        }

        @Override
        String answerJson(String model, String text, int in, int out, boolean refused) {
            return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":" + q(text) + "}],\"role\":\"model\"},"
                    + "\"finishReason\":" + q(refused ? "SAFETY" : "STOP") + ",\"index\":0}],\"usageMetadata\":"
                    + usage(in, out) + ",\"modelVersion\":" + q(model) + ",\"responseId\":\"fault\"}";
        }

        @Override
        List<String> head(String model, int in) {
            // Gemini sends nothing before the first text
            return List.of();
        }

        @Override
        String text(String model, String text) {
            return "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":" + q(text) + "}],\"role\":\"model\"},"
                    + "\"index\":0}],\"modelVersion\":" + q(model) + ",\"responseId\":\"fault\"}\r\n\r\n";
        }

        @Override
        List<String> tail(String model, int in, int out, boolean refused) {
            // the finish is the last event: finalEvent()
            return List.of();
        }

        @Override
        List<String> stream(String model, List<String> parts, int in, int out, boolean refused) {
            List<String> events = new ArrayList<>();
            for (String part : parts) {
                events.add(text(model, part));
            }
            events.add(finish(model, in, out, refused));
            return events;
        }

        @Override
        String finalEvent() {
            return finish(model, 9, 4, false);
        }

        private String finish(String model, int in, int out, boolean refused) {
            return "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\"}],\"role\":\"model\"},\"finishReason\":"
                    + q(refused ? "SAFETY" : "STOP") + ",\"index\":0}],\"usageMetadata\":" + usage(in, out)
                    + ",\"modelVersion\":" + q(model) + ",\"responseId\":\"fault\"}\r\n\r\n";
        }

        private String usage(int in, int out) {
            return "{\"promptTokenCount\":" + in + ",\"candidatesTokenCount\":" + out + ",\"totalTokenCount\":" + (in + out) + "}";
        }

        @Override
        String errorEvent() {
            return "data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please try again later.\","
                    + "\"status\":\"UNAVAILABLE\"}}\r\n\r\n";
        }

        @Override
        String error(String type, String code, String message) {
            return "{\"error\":{\"code\":" + (code == null ? "500" : code) + ",\"message\":" + q(message) + ",\"status\":"
                    + q(type) + "}}";
        }

        @Override
        String serverError() {
            return error("INTERNAL", "500", "An internal error has occurred. Please retry or report in "
                    + "https://developers.generativeai.google/guide/troubleshooting");
        }

        @Override
        String rateLimited() {
            return "{\"error\":{\"code\":429,\"message\":\"You exceeded your current quota, please check your plan and "
                    + "billing details.\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":"
                    + "\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":[{\"quotaMetric\":"
                    + "\"generativelanguage.googleapis.com/generate_content_free_tier_requests\",\"quotaId\":"
                    + "\"GenerateRequestsPerMinutePerProjectPerModel-FreeTier\",\"quotaValue\":\"10\"}]}]}}";
        }

        @Override
        String contextTooLong() {
            return error("INVALID_ARGUMENT", "400",
                    "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).");
        }

        @Override
        String unauthorized(String echoedKey) {
            return "{\"error\":{\"code\":400,\"message\":\"API key not valid: " + echoedKey + ". Please pass a valid API "
                    + "key.\",\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\","
                    + "\"reason\":\"API_KEY_INVALID\",\"domain\":\"googleapis.com\"}]}}";
        }
    };

    final String provider;
    final String model;

    Wire(String provider, String model) {
        this.provider = provider;
        this.model = model;
    }

    /** What the baseUrl option adds to the server's root ({@code /v1}). */
    abstract String basePath();

    /** The baseUrl option that points this provider at the fake. */
    String baseUrl(ScriptedHttpServer fake) {
        return fake.baseUrl() + basePath();
    }

    /** The path every request of this provider is sent to. */
    abstract String path();

    /** Whether a request went to this provider's API. */
    boolean matches(String requestPath) {
        return requestPath.equals(path());
    }

    /** How the provider's error for a stream without its final event names that event. */
    String finalEventName() {
        return switch (this) {
            case OPENAI, AZURE -> "[DONE]";
            case ANTHROPIC -> "message_stop";
            case GEMINI -> "finishReason";
        };
    }

    /** The provider's own finish reason of a content-filtered answer. */
    abstract String rawRefusal();

    abstract String answerJson(String model, String text, int in, int out, boolean refused);

    /** The events before any output (role chunk; message_start, content_block_start, ping). */
    abstract List<String> head(String model, int in);

    abstract String text(String model, String text);

    /** The finish and the usage, without the final event. */
    abstract List<String> tail(String model, int in, int out, boolean refused);

    /** {@code data: [DONE]} or {@code message_stop}. */
    abstract String finalEvent();

    /** An error event sent after HTTP 200: OpenAI's {@code data: {"error":…}}, Anthropic's overloaded_error. */
    abstract String errorEvent();

    abstract String error(String type, String code, String message);

    abstract String serverError();

    abstract String rateLimited();

    abstract String contextTooLong();

    abstract String unauthorized(String echoedKey);

    /** A whole streamed answer of the given text parts. */
    List<String> stream(String model, List<String> parts, int in, int out, boolean refused) {
        List<String> events = new ArrayList<>(head(model, in));
        for (String part : parts) {
            events.add(text(model, part));
        }
        events.addAll(tail(model, in, out, refused));
        events.add(finalEvent());
        return events;
    }

    private static String q(String s) {
        return s == null ? "null" : Json.write(s);
    }
}
