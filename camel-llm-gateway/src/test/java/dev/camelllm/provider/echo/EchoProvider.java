package dev.camelllm.provider.echo;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.NoSuchElementException;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.ResponseAssembler;
import dev.camelllm.api.Role;
import dev.camelllm.api.Usage;
import dev.camelllm.spi.CallContext;
import dev.camelllm.spi.CancellableStream;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatStream;

/** Answers with the last user message upper-cased plus the suffix, streamed one word a chunk. */
final class EchoProvider implements ChatProvider {

    private final String model;
    private final String suffix;
    private final Duration timeout;

    EchoProvider(String model, String suffix, Duration timeout) {
        this.model = model;
        this.suffix = suffix;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return EchoProviderFactory.NAME;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallContext call) {
        ResponseAssembler answer = new ResponseAssembler();
        try (ChatStream stream = stream(request, call)) {
            while (stream.hasNext()) {
                answer.accept(stream.next());
            }
        }
        return answer.build(name(), model, -1, 0);
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext call) {
        String text = lastUserText(request).toUpperCase(Locale.ROOT) + suffix;
        Deque<ChatChunk> chunks = new ArrayDeque<>();
        String[] words = text.split("(?<= )");
        for (String w : words) {
            chunks.add(new ChatChunk.TextDelta(w));
        }
        chunks.add(new ChatChunk.UsageUpdate(new Usage(words.length, words.length)));
        chunks.add(new ChatChunk.Finish(FinishReason.STOP, "stop"));
        return CancellableStream.of(new Chunks(chunks, call), call);
    }

    private static String lastUserText(ChatRequest request) {
        for (int i = request.messages().size() - 1; i >= 0; i--) {
            ChatMessage m = request.messages().get(i);
            if (m.role() == Role.USER) {
                return m.text();
            }
        }
        return "";
    }

    /** The prepared chunks; a cancelled or closed stream stops. */
    private final class Chunks implements ChatStream {
        private final Deque<ChatChunk> chunks;
        private final CallContext call;
        private volatile boolean closed;

        Chunks(Deque<ChatChunk> chunks, CallContext call) {
            this.chunks = chunks;
            this.call = call;
        }

        @Override
        public synchronized boolean hasNext() {
            if (chunks.isEmpty()) {
                return false;
            }
            if (call.isCancelled() || closed) {
                throw new LlmException(ErrorKind.CANCELLED, name(), model, "the echo was cancelled");
            }
            return true;
        }

        @Override
        public synchronized ChatChunk next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return chunks.poll();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
