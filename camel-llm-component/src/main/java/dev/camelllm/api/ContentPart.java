package dev.camelllm.api;

import java.util.Objects;

/** One part of a message's content. Every provider codec understands the same set. */
public sealed interface ContentPart {

    /** Plain text. */
    record Text(String text) implements ContentPart {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** An image, either inline base64 data with its media type, or a URL. */
    record Image(String mediaType, String base64Data, String url) implements ContentPart {
        public static Image ofBase64(String mediaType, String base64Data) {
            return new Image(mediaType, base64Data, null);
        }

        public static Image ofUrl(String url) {
            return new Image(null, null, url);
        }

        public Image {
            if ((base64Data == null) == (url == null)) {
                throw new IllegalArgumentException("An image needs exactly one of base64Data or url");
            }
        }
    }

    /** A tool call made by the assistant. */
    record ToolUse(ToolCall call) implements ContentPart {
        public ToolUse {
            Objects.requireNonNull(call, "call");
        }
    }

    /** The result of a tool call, sent back to the model. */
    record ToolResult(String toolCallId, String content, boolean isError) implements ContentPart {
        public ToolResult {
            Objects.requireNonNull(toolCallId, "toolCallId");
            content = content == null ? "" : content;
        }
    }

    /**
     * Reasoning text. The signature (Anthropic) must be echoed unchanged in a tool loop, so it travels
     * with the text.
     */
    record Thinking(String text, String signature) implements ContentPart {
        public Thinking {
            text = text == null ? "" : text;
        }
    }

    /** Reasoning the provider encrypted; only echoed back, never shown. */
    record RedactedThinking(String data) implements ContentPart {
    }
}
