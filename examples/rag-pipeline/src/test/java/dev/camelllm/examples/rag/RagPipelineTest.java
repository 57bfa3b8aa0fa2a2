package dev.camelllm.examples.rag;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example as shipped (its YAML routes, properties, documents and questions), offline: the built-in
 * embedding model indexes the paragraphs and retrieves, for each question, the file that answers it; the
 * tiny local model then answers with that context.
 */
@Timeout(180)
class RagPipelineTest extends CamelMainTestSupport {

    @TempDir
    static Path out;

    static final Path ROOT = Path.of(System.getProperty("camel.llm.repoRoot", "../..")).toAbsolutePath().normalize();

    @Override
    protected Class<?> getMainClass() {
        return RagPipeline.class;
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.put("rag.docs", ROOT.resolve("examples/rag-pipeline/docs").toString());
        p.put("rag.questions", ROOT.resolve("examples/rag-pipeline/questions").toString());
        p.put("rag.out", out.toString());
        p.put("camel.component.llm.model-path", ROOT.resolve("models/tiny-chat").toString());
        return p;
    }

    @Test
    void eachQuestionIsAnsweredFromTheFileThatHoldsItsAnswer() throws Exception {
        String[][] expected = {{"q1-integration.txt", "camel.txt"}, {"q2-caffeine.txt", "coffee.txt"},
            {"q3-planes.txt", "volcanoes.txt"}};
        await().atMost(Duration.ofSeconds(150)).until(() -> {
            for (String[] e : expected) {
                if (!Files.isRegularFile(out.resolve(e[0] + ".sources"))) {
                    return false;
                }
            }
            return true;
        });
        for (String[] e : expected) {
            String sources = Files.readString(out.resolve(e[0] + ".sources"), StandardCharsets.UTF_8);
            // the closest paragraph comes first
            assertThat(sources.split(",")[0]).as("sources of %s", e[0]).isEqualTo(e[1]);
            assertThat(out.resolve(e[0])).isRegularFile();
        }
        assertThat(context.getRegistry().lookupByNameAndType("store", ChunkStore.class).size()).isEqualTo(9);
    }
}
