package dev.camelllm.component;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.camelllm.spi.Json;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/component.md lists every option and header of the generated component JSON, each with a
 * description (regenerate with tools/docs/gen-component-reference.py).
 */
class ComponentDocsTest {

    private static JsonNode descriptor() throws IOException {
        try (InputStream in = ComponentDocsTest.class.getResourceAsStream("/META-INF/dev/camelllm/component/llm.json")) {
            assertThat(in).as("generated component JSON on the classpath").isNotNull();
            return Json.MAPPER.readTree(in);
        }
    }

    private static String doc() throws IOException {
        return Files.readString(Path.of(System.getProperty("camel.llm.repoRoot", ".."), "docs", "component.md"));
    }

    @Test
    void everyOptionHasADescriptionAndIsDocumented() throws IOException {
        JsonNode spec = descriptor();
        String doc = doc();
        for (String section : new String[] { "properties", "componentProperties" }) {
            Iterator<String> names = spec.get(section).fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                JsonNode option = spec.get(section).get(name);
                assertThat(option.path("description").asText()).as(section + "." + name + " description").isNotBlank();
                if (!name.equals("name") && !name.equals("lazyStartProducer") && !name.equals("autowiredEnabled")
                        && !name.equals("configuration")) {
                    assertThat(doc).as("docs/component.md documents option " + name).contains("| `" + name + "` |");
                }
            }
        }
        assertThat(spec.get("properties").get("apiKey").get("secret").asBoolean()).isTrue();
    }

    @Test
    void everyHeaderIsDocumented() throws IOException {
        JsonNode spec = descriptor();
        String doc = doc();
        Iterator<String> names = spec.get("headers").fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            assertThat(doc).as("docs/component.md documents header " + name).contains("| `" + name + "` |");
        }
    }
}
