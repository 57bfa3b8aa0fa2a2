package dev.camelllm.structured;

import java.util.NoSuchElementException;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.LlmStructuredOutputException;
import dev.camelllm.spi.ChatStream;

/**
 * Passes a stream's chunks on as they arrive and keeps the answer's text; when the {@link ChatChunk.Finish}
 * comes, validates the whole answer first. An invalid answer cannot be re-asked (its text has been handed
 * on), so the stream fails with {@link LlmStructuredOutputException} instead of finishing: a consumer never
 * sees it complete. An answer that ends in tool calls is not checked.
 */
final class ValidatingStream implements ChatStream {

    private final ChatStream inner;
    private final StructuredOutput output;
    private final String provider;
    private final String model;
    private final StringBuilder text = new StringBuilder();
    private boolean toolCalls;

    ValidatingStream(ChatStream inner, StructuredOutput output, String provider, String model) {
        this.inner = inner;
        this.output = output;
        this.provider = provider;
        this.model = model;
    }

    @Override
    public boolean hasNext() {
        return inner.hasNext();
    }

    @Override
    public ChatChunk next() {
        if (!inner.hasNext()) {
            throw new NoSuchElementException("the stream has ended");
        }
        ChatChunk chunk = inner.next();
        if (chunk instanceof ChatChunk.TextDelta t) {
            text.append(t.text());
        } else if (chunk instanceof ChatChunk.ToolCallComplete) {
            toolCalls = true;
        } else if (chunk instanceof ChatChunk.Finish f && !(toolCalls && f.reason() == FinishReason.TOOL_CALLS)) {
            StructuredOutput.Checked checked = output.check(text.toString());
            if (!checked.valid()) {
                inner.close();
                throw new LlmStructuredOutputException(provider, model, text.toString(), checked.errors(), 1);
            }
        }
        return chunk;
    }

    @Override
    public void close() {
        inner.close();
    }
}
