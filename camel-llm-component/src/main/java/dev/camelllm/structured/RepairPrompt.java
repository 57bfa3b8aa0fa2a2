package dev.camelllm.structured;

import java.util.ArrayList;
import java.util.List;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ResponseFormat;
import dev.camelllm.spi.Json;

/**
 * The re-ask after an invalid answer: the conversation so far, the invalid answer as the assistant's turn,
 * then a user turn that lists what the validation found and asks for the corrected JSON only. The schema
 * is repeated there, for providers that do not take it natively (local models, prompt-only modes).
 */
final class RepairPrompt {

    /** An answer is quoted back whole up to this size (the model's own output; the budget is maxTokens anyway). */
    private static final int MAX_QUOTED_CHARS = 20_000;

    private RepairPrompt() {
    }

    static ChatRequest next(ChatRequest asked, String answer, List<String> errors, ResponseFormat format) {
        List<ChatMessage> messages = new ArrayList<>(asked.messages());
        String quoted = answer == null || answer.isBlank() ? "(no text)"
                : answer.length() > MAX_QUOTED_CHARS ? answer.substring(0, MAX_QUOTED_CHARS) : answer;
        messages.add(ChatMessage.assistant(quoted));
        messages.add(ChatMessage.user(feedback(errors, format)));
        return asked.toBuilder().messages(messages).build();
    }

    static String feedback(List<String> errors, ResponseFormat format) {
        StringBuilder sb = new StringBuilder("Your previous answer is not valid: ");
        sb.append(format.type() == ResponseFormat.Type.JSON_SCHEMA
                ? "it does not follow the required JSON schema." : "it is not a JSON object.");
        sb.append("\nProblems found:\n");
        for (String e : errors) {
            sb.append("- ").append(e).append('\n');
        }
        if (format.type() == ResponseFormat.Type.JSON_SCHEMA && format.schema() != null) {
            sb.append("The schema: ").append(Json.write(format.schema())).append('\n');
        }
        sb.append("Answer again with only the corrected JSON document: no text before or after it and no code fences.");
        return sb.toString();
    }
}
