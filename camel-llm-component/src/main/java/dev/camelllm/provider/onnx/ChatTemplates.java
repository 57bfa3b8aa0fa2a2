package dev.camelllm.provider.onnx;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the renderer for a model: its own chat_template through Jinjava, checked on sample conversations when
 * the model loads; the built-in ChatML template only for a model that has no chat_template at all. A template
 * that cannot render is an error at route start that names the template's error: prompts in another model's
 * format would give wrong answers, quietly.
 */
final class ChatTemplates {

    private static final Logger LOG = LoggerFactory.getLogger(ChatTemplates.class);

    /** A bare user message, with a system prompt, and a second turn: what every chat model is asked. */
    private static final List<List<Map<String, Object>>> SAMPLES = List.of(
            List.of(Map.of("role", "user", "content", "Hello")),
            List.of(Map.of("role", "system", "content", "You are helpful."), Map.of("role", "user", "content", "Hello")),
            List.of(Map.of("role", "user", "content", "Hello"), Map.of("role", "assistant", "content", "Hi!"),
                    Map.of("role", "user", "content", "How are you?")));

    private ChatTemplates() {
    }

    static ChatTemplate forModel(ModelMetadata meta, String modelName) {
        if (meta.chatTemplate() == null || meta.chatTemplate().isBlank()) {
            ChatMlTemplate chatMl = new ChatMlTemplate();
            LOG.warn("Model {} has no chat_template; using the {}", modelName, chatMl.description());
            return chatMl;
        }
        JinjaChatTemplate jinja;
        try {
            jinja = new JinjaChatTemplate(meta.chatTemplate(), meta.specialTokens());
        } catch (RuntimeException e) {
            throw unusable(modelName, "cannot be read: " + e.getMessage());
        }
        for (int i = 0; i < SAMPLES.size(); i++) {
            try {
                jinja.render(SAMPLES.get(i), null, true, Map.of());
            } catch (ChatTemplate.TemplateException e) {
                // a template may refuse a conversation on purpose (raise_exception: "no system role"), but not the first
                if (i == 0 || !e.refusal()) {
                    throw unusable(modelName, "cannot render a " + (i == 0 ? "single user message" : "sample conversation")
                            + ": " + e.getMessage());
                }
            }
        }
        LOG.info("Model {} renders prompts with {}", modelName, jinja.description());
        return jinja;
    }

    private static RuntimeException unusable(String modelName, String what) {
        return OnnxOptions.invalid(modelName, "the model's chat_template " + what + ". Fix the template (chat_template.jinja "
                + "or the chat_template of tokenizer_config.json in the model directory); the model is not loaded");
    }
}
