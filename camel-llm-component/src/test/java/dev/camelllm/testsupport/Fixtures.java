package dev.camelllm.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test fixtures under src/test/resources/fixtures: the providers' documented request and response bodies. */
public final class Fixtures {

    private Fixtures() {
    }

    /** The text of {@code fixtures/<path>}, e.g. {@code gemini/chat-text.json}. */
    public static String text(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
