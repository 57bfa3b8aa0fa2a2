package dev.camelllm.provider.onnx;

import java.util.List;
import java.util.Map;

/**
 * The built-in fallback for models whose chat template cannot be rendered: ChatML with the Qwen/Hermes
 * conventions (tools listed in the system message, {@code <tool_call>} JSON for calls, tool results as a
 * user turn in {@code <tool_response>} tags, an empty think block when thinking is off).
 */
final class ChatMlTemplate implements ChatTemplate {

    @Override
    public String description() {
        return "built-in ChatML template";
    }

    @Override
    public String render(List<Map<String, Object>> messages, List<Map<String, Object>> tools,
                         boolean addGenerationPrompt, Map<String, Object> variables) {
        StringBuilder sb = new StringBuilder();
        int start = 0;
        String system = null;
        if (!messages.isEmpty() && "system".equals(messages.get(0).get("role"))) {
            system = text(messages.get(0).get("content"));
            start = 1;
        }
        if (tools != null && !tools.isEmpty()) {
            sb.append("<|im_start|>system\n");
            if (system != null) {
                sb.append(system).append("\n\n");
            }
            sb.append("# Tools\n\nYou may call one or more functions to assist with the user query.\n\n")
                    .append("You are provided with function signatures within <tools></tools> XML tags:\n<tools>");
            for (Map<String, Object> tool : tools) {
                sb.append('\n').append(PyJson.dumps(tool));
            }
            sb.append("\n</tools>\n\nFor each function call, return a json object with function name and arguments ")
                    .append("within <tool_call></tool_call> XML tags:\n<tool_call>\n")
                    .append("{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n");
        } else if (system != null) {
            sb.append("<|im_start|>system\n").append(system).append("<|im_end|>\n");
        }
        for (int i = start; i < messages.size(); i++) {
            Map<String, Object> m = messages.get(i);
            String role = String.valueOf(m.get("role"));
            String content = text(m.get("content"));
            switch (role) {
                case "assistant" -> {
                    sb.append("<|im_start|>assistant\n").append(content);
                    Object calls = m.get("tool_calls");
                    if (calls instanceof List<?> list) {
                        boolean first = true;
                        for (Object c : list) {
                            if (!first || !content.isEmpty()) {
                                sb.append('\n');
                            }
                            first = false;
                            Map<?, ?> fn = (Map<?, ?>) ((Map<?, ?>) c).get("function");
                            Object args = fn.get("arguments");
                            sb.append("<tool_call>\n{\"name\": \"").append(fn.get("name")).append("\", \"arguments\": ")
                                    .append(args instanceof String s ? s : PyJson.dumps(args)).append("}\n</tool_call>");
                        }
                    }
                    sb.append("<|im_end|>\n");
                }
                case "tool" -> {
                    boolean firstOfRun = i == 0 || !"tool".equals(messages.get(i - 1).get("role"));
                    boolean lastOfRun = i == messages.size() - 1 || !"tool".equals(messages.get(i + 1).get("role"));
                    if (firstOfRun) {
                        sb.append("<|im_start|>user");
                    }
                    sb.append("\n<tool_response>\n").append(content).append("\n</tool_response>");
                    if (lastOfRun) {
                        sb.append("<|im_end|>\n");
                    }
                }
                default -> sb.append("<|im_start|>").append(role).append('\n').append(content).append("<|im_end|>\n");
            }
        }
        if (addGenerationPrompt) {
            sb.append("<|im_start|>assistant\n");
            if (Boolean.FALSE.equals(variables.get("enable_thinking"))) {
                sb.append("<think>\n\n</think>\n\n");
            }
        }
        return sb.toString();
    }

    private static String text(Object content) {
        return content == null ? "" : content.toString();
    }
}
