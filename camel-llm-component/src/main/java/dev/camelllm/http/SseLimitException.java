package dev.camelllm.http;

import java.io.IOException;

/** A server-sent-events line or event passed the reader's size limit; the stream cannot go on. */
public final class SseLimitException extends IOException {

    private final int limitBytes;

    SseLimitException(String what, int limitBytes) {
        super(what + " of the event stream is larger than " + limitBytes + " bytes");
        this.limitBytes = limitBytes;
    }

    /** The limit that was passed, in bytes. */
    public int limitBytes() {
        return limitBytes;
    }
}
