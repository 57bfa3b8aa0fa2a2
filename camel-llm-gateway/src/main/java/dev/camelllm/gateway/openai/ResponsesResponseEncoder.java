package dev.camelllm.gateway.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.ToolCall;
import dev.camelllm.gateway.format.ResponseInfo;
import dev.camelllm.spi.Json;

/**
 * Writes a complete answer as a Responses API {@code response}: its reasoning items (thinking with its
 * signature as {@code encrypted_content}), then one assistant message, then a {@code function_call} per tool
 * call. Redacted thinking (Anthropic's) has no Responses item and is left out.
 */
final class ResponsesResponseEncoder {

    private ResponsesResponseEncoder() {
    }

    static ObjectNode toJson(ChatResponse response, ResponseInfo info) {
        ArrayNode output = Json.MAPPER.createArrayNode();
        for (ContentPart part : response.message().parts()) {
            if (part instanceof ContentPart.Thinking t && (!t.text().isEmpty() || t.signature() != null)) {
                output.add(ResponsesOutput.reasoning(ResponsesOutput.itemId("rs_", info, output.size()), t.text(),
                        t.signature()));
            }
        }
        String text = response.text();
        if (!text.isEmpty() || response.toolCalls().isEmpty()) {
            output.add(ResponsesOutput.message(ResponsesOutput.itemId("msg_", info, output.size()), text, "completed"));
        }
        for (ToolCall call : response.toolCalls()) {
            String id = ResponsesOutput.itemId("fc_", info, output.size());
            output.add(ResponsesOutput.functionCall(id, ResponsesOutput.callId(call, id), call.name(), call.arguments(),
                    "completed"));
        }
        return ResponsesOutput.response(info, output, response);
    }
}
