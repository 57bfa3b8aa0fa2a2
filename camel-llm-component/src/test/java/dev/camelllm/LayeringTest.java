package dev.camelllm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packages' layering, read from the main sources' imports and fully qualified names: {@code api}
 * depends on nothing of ours, {@code spi} on api only, the {@code http} support library on neither the
 * component nor a provider, the Chat Completions codec ({@code chatcompletions}, shared by openai and
 * azure-openai) on api, spi and http, each provider on those only (never on another provider), and
 * observability on no provider; {@code constraint} (constrained decoding, for any local provider) and
 * {@code structured} (schemas, validation, repair) on api and spi only, and providers may use constraint; the
 * {@code state} store on nothing else of ours (resilience, observability and the gateway use it; a provider may
 * not). A new provider therefore cannot reach into the component.
 */
class LayeringTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.camelllm\\.([a-z][a-z0-9]*)(?:\\.([a-z][a-z0-9]*))?");
    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    @Test
    void everyMainSourceKeepsToItsLayer() throws IOException {
        assertThat(SOURCES).isDirectory();
        List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> paths = Files.walk(SOURCES)) {
            for (Path file : paths.filter(p -> p.toString().endsWith(".java")).toList()) {
                files++;
                String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.').replace('\\', '.');
                violations.addAll(violations(pkg, Files.readString(file), file.getFileName().toString()));
            }
        }
        assertThat(files).as("main sources found").isGreaterThan(50);
        assertThat(violations).isEmpty();
    }

    @Test
    void theRulesCatchAnImportAndAFullyQualifiedName() {
        String provider = """
                package dev.camelllm.provider.acme;
                import dev.camelllm.component.LlmConfiguration; // the old way
                /** {@link dev.camelllm.resilience.RetryPolicy} in a comment is fine */
                class Acme { dev.camelllm.provider.openai.ReasoningFormat f; }
                """;
        assertThat(violations("dev.camelllm.provider.acme", provider, "Acme.java"))
                .containsExactly("Acme.java (dev.camelllm.provider.acme) uses dev.camelllm.component",
                        "Acme.java (dev.camelllm.provider.acme) uses dev.camelllm.provider.openai");
        assertThat(violations("dev.camelllm.spi", "package dev.camelllm.spi; import dev.camelllm.http.HttpTransport;", "X.java"))
                .hasSize(1);
        assertThat(violations("dev.camelllm.observability", "import dev.camelllm.provider.onnx.X;", "Y.java")).hasSize(1);
        assertThat(violations("dev.camelllm.http", "import dev.camelllm.spi.Json; import dev.camelllm.api.X;", "Z.java")).isEmpty();
        assertThat(violations("dev.camelllm.structured", "import dev.camelllm.spi.Json; import dev.camelllm.component.X;", "S.java"))
                .containsExactly("S.java (dev.camelllm.structured) uses dev.camelllm.component");
        assertThat(violations("dev.camelllm.chatcompletions", "import dev.camelllm.provider.openai.X;", "C.java")).hasSize(1);
        assertThat(violations("dev.camelllm.provider.azureopenai", "import dev.camelllm.chatcompletions.X;", "A.java")).isEmpty();
        assertThat(violations("dev.camelllm.state", "import dev.camelllm.resilience.RateLimits;", "S.java")).hasSize(1);
        assertThat(violations("dev.camelllm.provider.acme", "import dev.camelllm.state.StateStore;", "A.java")).hasSize(1);
        assertThat(violations("dev.camelllm.resilience", "import dev.camelllm.state.Bucket;", "R.java")).isEmpty();
        assertThat(violations("dev.camelllm.cache", "import dev.camelllm.spi.Json; import dev.camelllm.component.LlmConstants;",
                "C.java")).containsExactly("C.java (dev.camelllm.cache) uses dev.camelllm.component");
        assertThat(violations("dev.camelllm.constraint", "import dev.camelllm.provider.onnx.HfTokenizer;", "C.java")).hasSize(1);
        assertThat(violations("dev.camelllm.constraint", "import dev.camelllm.http.HttpTransport;", "C.java")).hasSize(1);
        assertThat(violations("dev.camelllm.provider.onnx", "import dev.camelllm.constraint.JsonConstraint;", "P.java")).isEmpty();
    }

    /** What a file of package {@code pkg} refers to that its layer forbids. */
    static List<String> violations(String pkg, String source, String name) {
        String code = COMMENTS.matcher(source).replaceAll(" ").replaceFirst("package\\s+[\\w.]+;", "");
        Set<String> used = new TreeSet<>();
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
            String top = m.group(1);
            used.add(top.equals("provider") && m.group(2) != null ? "provider." + m.group(2) : top);
        }
        List<String> out = new ArrayList<>();
        for (String target : used) {
            if (!allowed(pkg.replaceFirst("^dev\\.camelllm\\.", ""), target)) {
                out.add(name + " (" + pkg + ") uses dev.camelllm." + target);
            }
        }
        return out;
    }

    private static boolean allowed(String from, String to) {
        String top = from.contains(".") ? from.substring(0, from.indexOf('.')) : from;
        if (from.startsWith("provider.")) {
            String own = from.split("\\.")[0] + "." + from.split("\\.")[1];
            return to.equals(own) || Set.of("api", "spi", "http", "chatcompletions", "constraint").contains(to);
        }
        return switch (top) {
            case "api" -> to.equals("api");
            case "spi" -> Set.of("api", "spi").contains(to);
            case "http" -> Set.of("api", "spi", "http").contains(to);
            // a wire format several providers speak: a codec, never a provider
            case "chatcompletions" -> Set.of("api", "spi", "http", "chatcompletions").contains(to);
            // the JSON automaton and token masks of constrained decoding: neutral, usable by any local provider
            case "constraint" -> Set.of("api", "spi", "constraint").contains(to);
            // where calls run and how they are admitted, timed and cancelled: below resilience and component
            case "execution" -> Set.of("api", "spi", "execution").contains(to);
            // where limits and budgets keep their state (memory or Redis): knows nothing of what it limits
            case "state" -> to.equals("state");
            case "resilience" -> Set.of("api", "spi", "execution", "state", "resilience").contains(to);
            // semantic routing and caching: vectors and Camel only, whatever embeds them; the semantic cache
            // keeps the exact cache's answers (CachedAnswer), so it sits above cache, never the reverse
            case "semantic" -> Set.of("api", "spi", "cache", "semantic").contains(to);
            // the exact response cache: keys, stores, replay; metrics and the producer use it, not the reverse
            case "cache" -> Set.of("api", "spi", "cache").contains(to);
            case "observability" -> !to.startsWith("provider") && !to.equals("gateway");
            // schemas, validation and repair of JSON answers: on the neutral types only, used by the producer
            case "structured" -> Set.of("api", "spi", "structured").contains(to);
            default -> !to.equals("gateway");
        };
    }
}
