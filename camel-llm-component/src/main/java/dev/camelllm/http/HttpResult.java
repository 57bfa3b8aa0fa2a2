package dev.camelllm.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A fully read HTTP response. Header names are lower case. */
public record HttpResult(int status, Map<String, String> headers, byte[] body) {

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
