package dev.camelllm.provider.onnx;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the renderer for a model: its own chat_template through Jinjava when that renders a sample
 * conversation, else the built-in ChatML template. Says which in the log.
 */
final class ChatTemplates {

    private static final Logger LOG = LoggerFactory.getLogger(ChatTemplates.class);

    private ChatTemplates() {
    }

    static ChatTemplate forModel(ModelMetadata meta, String modelName) {
        ChatMlTemplate fallback = new ChatMlTemplate();
        if (meta.chatTemplate() == null || meta.chatTemplate().isBlank()) {
            LOG.warn("Model {} has no chat_template; using the {}", modelName, fallback.description());
            return fallback;
        }
        try {
            JinjaChatTemplate jinja = new JinjaChatTemplate(meta.chatTemplate(), meta.specialTokens());
            jinja.render(List.of(Map.of("role", "system", "content", "You are helpful."),
                    Map.of("role", "user", "content", "Hello")), null, true, Map.of());
            LOG.info("Model {} renders prompts with {}", modelName, jinja.description());
            return jinja;
        } catch (RuntimeException e) {
            LOG.warn("Model {}: its chat_template cannot be rendered ({}); using the {}", modelName, e.getMessage(),
                    fallback.description());
            return fallback;
        }
    }
}
