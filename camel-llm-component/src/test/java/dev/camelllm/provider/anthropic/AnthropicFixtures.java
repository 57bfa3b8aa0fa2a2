package dev.camelllm.provider.anthropic;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import dev.camelllm.api.LlmException;

/** Reads the fixtures under src/test/resources/fixtures/anthropic/ and digs typed errors out of Camel's wrappers. */
final class AnthropicFixtures {

    private AnthropicFixtures() {
    }

    static String read(String name) {
        try (InputStream in = AnthropicFixtures.class.getResourceAsStream("/fixtures/anthropic/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The LlmException in a cause chain, or null. */
    static LlmException llmCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof LlmException e) {
                return e;
            }
        }
        return null;
    }
}
