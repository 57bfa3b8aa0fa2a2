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
 */
public final class SseReader {

    private final InputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private boolean pendingCr;
    private boolean first = true;

    public SseReader(InputStream in) {
        this.in = in instanceof java.io.BufferedInputStream ? in : new java.io.BufferedInputStream(in, 8192);
    }

    /** The next event, or null at the end of the stream. An unfinished last event is dropped, as the standard says. */
    public SseEvent next() throws IOException {
        String event = null;
        String id = null;
        StringBuilder data = null;
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
            line.write(b);
        }
    }

    private String decode() {
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
