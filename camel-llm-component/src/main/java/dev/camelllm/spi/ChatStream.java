package dev.camelllm.spi;

import java.util.Iterator;

import dev.camelllm.api.ChatChunk;

/**
 * A streamed answer backed by an open connection (or a running local generation). {@link #hasNext()}
 * blocks until the next chunk arrives. A stream that ends without its final event throws
 * {@link dev.camelllm.api.LlmStreamException}; it never just stops. {@link #close()} releases the
 * connection and may be called at any time, from any thread, more than once.
 */
public interface ChatStream extends Iterator<ChatChunk>, AutoCloseable {

    @Override
    void close();
}
