package dev.camelllm.structured;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.spi.Json;
import dev.camelllm.testsupport.ScriptedHttpServer;

/** Chat Completions answers as OpenAI writes them, for the structured-output tests' fake upstream. */
final class OpenAiWire {

    private OpenAiWire() {
    }

    /** A whole non-streamed chat.completion whose message content is {@code content}. */
    static ScriptedHttpServer.Script answer(String content) {
        return ex -> ex.respond(200, "application/json", completion(content));
    }

    static String completion(String content) {
        return """
                {"id":"chatcmpl-s1","object":"chat.completion","created":1737521813,"model":"gpt-4o-mini-2024-07-18",
                 "choices":[{"index":0,"message":{"role":"assistant","content":%s,"refusal":null},"logprobs":null,
                 "finish_reason":"stop"}],
                 "usage":{"prompt_tokens":31,"completion_tokens":12,"total_tokens":43}}
                """.formatted(Json.write(content));
    }

    /** A streamed answer: each piece one chat.completion.chunk event, then the finish chunk and [DONE]. */
    static ScriptedHttpServer.Script stream(List<String> pieces) {
        return ex -> {
            ex.startStream(200);
            ex.send(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
            for (String piece : pieces) {
                ex.send(chunk("{\"content\":" + Json.write(piece) + "}", null));
            }
            ex.send(chunk("{}", "\"stop\""));
            ex.send("data: [DONE]\n\n");
            ex.endStream();
        };
    }

    private static String chunk(String delta, String finish) {
        return "data: {\"id\":\"chatcmpl-s2\",\"object\":\"chat.completion.chunk\",\"created\":1737521813,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"logprobs\":null,\"finish_reason\":" + finish + "}]}\n\n";
    }

    static JsonNode body(ScriptedHttpServer.Request request) throws IOException {
        return Json.parse(request.body());
    }
}
