package dev.camelllm.provider.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.component.ProviderSettingsBuilder;
import dev.camelllm.observability.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A model whose chat template cannot render is an error, never a prompt in another format: at load when the
 * template fails on a plain conversation, and for the request when it fails on that request only. The tiny
 * model is copied with a template of the test's own.
 */
@Timeout(60)
class ChatTemplateErrorsTest {

    @TempDir
    static Path models;

    @BeforeAll
    static void model() {
        TinyModel.require();
    }

    /** The tiny model with this chat_template.jinja (which wins over tokenizer_config.json's). */
    private static LlmConfiguration withTemplate(String name, String template) throws IOException {
        Path dir = models.resolve(name);
        try (Stream<Path> files = Files.walk(TinyModel.dir())) {
            for (Path from : (Iterable<Path>) files::iterator) {
                Path to = dir.resolve(TinyModel.dir().relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        Files.writeString(dir.resolve("chat_template.jinja"), template);
        LlmConfiguration c = TinyModel.config();
        c.setModelPath(dir.toString());
        c.setModel(name);
        return c;
    }

    @Test
    void aTemplateThatCannotRenderFailsTheLoadNamingItsError() throws IOException {
        LlmConfiguration c = withTemplate("unclosed", "{% for m in messages %}{{ m.content }}{% endfor");

        try (OnnxProviderFactory factory = new OnnxProviderFactory()) {
            assertThatThrownBy(() -> factory.create(ProviderSettingsBuilder.of(c), TinyModel.context()))
                    .isInstanceOf(LlmConfigurationException.class)
                    .hasMessageContaining("unclosed")
                    .hasMessageContaining("the model's chat_template cannot render a single user message")
                    .hasMessageContaining("Missing end tag: endfor")
                    .hasMessageContaining("chat_template.jinja");
            assertThat(factory.loadedModels()).isZero();
        }
    }

    @Test
    void aTemplateThatRefusesASystemPromptOnPurposeStillLoads() throws IOException {
        LlmConfiguration c = withTemplate("no-system", "{% for m in messages %}{% if m.role == 'system' %}"
                + "{{ raise_exception('System role not supported') }}{% endif %}<|im_start|>{{ m.role }}\n{{ m.content }}"
                + "<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}");

        try (OnnxProviderFactory factory = new OnnxProviderFactory()) {
            OnnxChatProvider provider = (OnnxChatProvider) factory.create(ProviderSettingsBuilder.of(c), TinyModel.context());
            assertThatThrownBy(() -> provider.chat(ChatRequest.builder().systemPrompt("Be brief.").user("Hello").build()))
                    .isInstanceOf(LlmInvalidRequestException.class)
                    .hasMessageContaining("refuses this conversation").hasMessageContaining("System role not supported");
        }
    }

    @Test
    void aConversationTheTemplateCannotRenderIsAnErrorNotAChatMlPrompt() throws IOException {
        // renders every plain conversation, fails on a tool result only
        LlmConfiguration c = withTemplate("tool-bug", "{% for m in messages %}{% if m.role == 'tool' %}"
                + "{{ no_such_function(m.content) }}{% endif %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n"
                + "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}");
        ChatRequest withToolResult = ChatRequest.builder()
                .addMessage(ChatMessage.user("What is the weather in Paris?"))
                .addMessage(new ChatMessage(Role.ASSISTANT, List.of(new ContentPart.ToolUse(
                        new ToolCall("call_0", "get_weather", "{\"city\":\"Paris\"}")))))
                .addMessage(ChatMessage.toolResult("call_0", "18°C and sunny"))
                .build();

        try (LogCapture capture = LogCapture.attach(); OnnxProviderFactory factory = new OnnxProviderFactory()) {
            OnnxChatProvider provider = (OnnxChatProvider) factory.create(ProviderSettingsBuilder.of(c), TinyModel.context());
            assertThat(provider.chat(ChatRequest.builder().user("Hello").build())).isNotNull();

            assertThatThrownBy(() -> provider.chat(withToolResult))
                    .isInstanceOf(LlmInvalidRequestException.class)
                    .hasMessageContaining("the model's chat template cannot render this conversation")
                    .hasMessageContaining("no_such_function");
            assertThat(capture.lines()).noneSatisfy(l -> {
                assertThat(l.level()).isEqualTo(Level.WARN);
                assertThat(l.message()).contains("ChatML");
            });
        }
    }
}
