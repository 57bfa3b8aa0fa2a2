package dev.camelllm.resilience;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The component depends on resilience, never the other way round: resilience has its own settings types
 * and the component maps its options to them (component.ResilienceOptions).
 */
class ResiliencePackageTest {

    @Test
    void resilienceDoesNotDependOnTheComponent() throws IOException {
        Path dir = Path.of("src/main/java/dev/camelllm/resilience");
        assertThat(dir).isDirectory();
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> sources = files.filter(p -> p.toString().endsWith(".java")).toList();
            assertThat(sources).isNotEmpty();
            for (Path source : sources) {
                assertThat(Files.readString(source)).as(source.toString()).doesNotContain("dev.camelllm.component");
            }
        }
    }
}
