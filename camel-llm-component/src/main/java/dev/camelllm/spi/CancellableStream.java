package dev.camelllm.spi;

import dev.camelllm.api.ChatChunk;

/**
 * A stream that the call's cancel closes: registers {@link ChatStream#close()} with the call and removes
 * that registration when the stream closes, so that a finished stream is not touched by a later cancel.
 */
public final class CancellableStream implements ChatStream {

    private final ChatStream stream;
    private final CallContext.Registration registration;

    private CancellableStream(ChatStream stream, CallContext call) {
        this.stream = stream;
        this.registration = call.onCancel(stream::close);
    }

    public static ChatStream of(ChatStream stream, CallContext call) {
        return new CancellableStream(stream, call);
    }

    @Override
    public boolean hasNext() {
        return stream.hasNext();
    }

    @Override
    public ChatChunk next() {
        return stream.next();
    }

    @Override
    public void close() {
        registration.close();
        stream.close();
    }
}
