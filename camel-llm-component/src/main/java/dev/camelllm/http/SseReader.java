package dev.camelllm.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Parses a text/event-stream as the HTML standard defines it: lines end in CRLF, LF or CR; {@code data:}
 * lines of one event are joined with LF; lines starting with ':' are comments; an event is dispatched at
 * a blank line; a leading BOM is skipped. Shared by every provider. Bytes are split into lines before
 * decoding, so a UTF-8 character split across network reads stays whole.
 *
 * <p>Memory is bounded: a line, or the data of one event, longer than {@code maxEventBytes} is refused
 * with {@link SseLimitException} as soon as it passes the limit, so an upstream that never sends a line
 * end cannot make us buffer without end.
 */
public final class SseReader {

    /** 8 MiB: far above any real chunk (a large tool call's arguments come in many events), far below a heap. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 8 * 1024 * 1024;

    private final InputStream in;
    private final int maxEventBytes;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    /** The bytes of the line {@link #readLine()} returned last. */
    private int lineBytes;
    private boolean pendingCr;
    private boolean first = true;

    public SseReader(InputStream in) {
        this(in, DEFAULT_MAX_EVENT_BYTES);
    }

    /** @param maxEventBytes the most bytes of one line, and of the data of one event */
    public SseReader(InputStream in, int maxEventBytes) {
        if (maxEventBytes <= 0) {
            throw new IllegalArgumentException("maxEventBytes must be positive, was " + maxEventBytes);
        }
        this.in = in instanceof java.io.BufferedInputStream ? in : new java.io.BufferedInputStream(in, 8192);
        this.maxEventBytes = maxEventBytes;
    }

    /** The next event, or null at the end of the stream. An unfinished last event is dropped, as the standard says. */
    public SseEvent next() throws IOException {
        String event = null;
        String id = null;
        StringBuilder data = null;
        long dataBytes = 0;
        String l;
        while ((l = readLine()) != null) {
            if (l.isEmpty()) {
                if (data != null) {
                    return new SseEvent(event == null ? "message" : event, data.toString(), id);
                }
                event = null;
                continue;
            }
            if (l.charAt(0) == ':') {
                continue;
            }
            int colon = l.indexOf(':');
            String field = colon < 0 ? l : l.substring(0, colon);
            String value = colon < 0 ? "" : l.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> event = value;
                case "data" -> {
                    dataBytes += lineBytes + 1;
                    if (dataBytes > maxEventBytes) {
                        throw new SseLimitException("an event", maxEventBytes);
                    }
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else {
                        data.append('\n').append(value);
                    }
                }
                case "id" -> id = value;
                default -> {
                    // "retry" and unknown fields are ignored
                }
            }
        }
        return null;
    }

    private String readLine() throws IOException {
        line.reset();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() > 0 ? decode() : null;
            }
            if (pendingCr) {
                pendingCr = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\n') {
                return decode();
            }
            if (b == '\r') {
                pendingCr = true;
                return decode();
            }
            if (line.size() >= maxEventBytes) {
                throw new SseLimitException("a line", maxEventBytes);
            }
            line.write(b);
        }
    }

    private String decode() {
        lineBytes = line.size();
        String s = line.toString(StandardCharsets.UTF_8);
        if (first) {
            first = false;
            if (s.startsWith("\uFEFF")) {
                s = s.substring(1);
            }
        }
        return s;
    }
}
