package dev.camelllm.cache;

import java.util.ArrayList;
import java.util.List;

import dev.camelllm.api.ChatChunk;

/**
 * The chunks of a stream as they pass, to cache the stream once it has ended whole. Bounded: a stream of
 * more than {@link #MAX_CHUNKS} chunks is not recorded (and so not cached), rather than held in memory.
 */
public final class StreamRecording {

    public static final int MAX_CHUNKS = 20_000;

    private final List<ChatChunk> chunks = new ArrayList<>();
    private boolean overflowed;

    public synchronized void add(ChatChunk chunk) {
        if (overflowed) {
            return;
        }
        if (chunks.size() >= MAX_CHUNKS) {
            overflowed = true;
            chunks.clear();
            return;
        }
        chunks.add(chunk);
    }

    /** The whole stream, its finish included; null when it overflowed or had no finish. */
    public synchronized List<ChatChunk> whole() {
        if (overflowed || chunks.stream().noneMatch(c -> c instanceof ChatChunk.Finish)) {
            return null;
        }
        return List.copyOf(chunks);
    }
}
