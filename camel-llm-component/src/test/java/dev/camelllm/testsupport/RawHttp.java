package dev.camelllm.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Reading HTTP/1.1 heads byte by byte off a socket, for the raw-socket fakes (nothing is read ahead). */
final class RawHttp {

    private RawHttp() {
    }

    /** One line without its CR LF, or null at the end of the stream. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                buf.write(b);
            }
        }
        return b < 0 && buf.size() == 0 ? null : buf.toString(StandardCharsets.UTF_8);
    }

    /** The header lines up to the blank line, by lower-case name (the last of a repeated name wins). */
    static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return headers;
    }
}
