package dev.camelllm.provider.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.camelllm.http.HttpTransport;

/**
 * Finds the files of a model: the local {@code modelPath}, or the {@code modelId} repository in the cache
 * (downloaded on first use: config, generation config, tokenizer, tokenizer config, optional
 * chat_template.jinja, and of the ONNX files only the chosen variant and its external data). The variant
 * is the one the {@code variant} option names, else the first present of a device's preferences.
 */
final class ModelLocator {

    /** Preferred variants when none is named: small quantized weights on CPU, half precision on CUDA. */
    static final List<String> CPU_VARIANTS = List.of("q4", "int8", "quantized", "fp32");
    static final List<String> CUDA_VARIANTS = List.of("fp16", "q4f16", "fp32");

    /** The model's directory, its chosen .onnx file, and the name used in logs and errors. */
    record Resolved(String name, Path dir, Path onnxFile) {
    }

    private ModelLocator() {
    }

    /** The repository-relative .onnx file of a variant name. */
    static String fileOf(String variant) {
        if (variant.endsWith(".onnx")) {
            return variant;
        }
        return variant.equals("fp32") ? "onnx/model.onnx" : "onnx/model_" + variant + ".onnx";
    }

    static List<String> candidates(String variant, boolean cuda) {
        if (variant != null) {
            return List.of(fileOf(variant));
        }
        return (cuda ? CUDA_VARIANTS : CPU_VARIANTS).stream().map(ModelLocator::fileOf).toList();
    }

    /** @param http the endpoint's transport, asked for only when the model is downloaded (modelId) */
    static Resolved resolve(OnnxOptions options, boolean cuda, java.util.function.Supplier<HttpTransport> http) {
        List<String> candidates = candidates(options.variant(), cuda);
        if (options.modelPath() != null) {
            Path dir = options.modelPath();
            for (String candidate : candidates) {
                Path file = dir.resolve(candidate);
                if (Files.isRegularFile(file)) {
                    return new Resolved(options.displayName(), dir, file);
                }
            }
            throw OnnxOptions.invalid(options.displayName(), (options.variant() != null
                    ? "option 'variant' is " + options.variant() + " but " + dir.resolve(candidates.get(0)) + " does not exist"
                    : "no ONNX model in " + dir + " (looked for " + String.join(", ", candidates) + ")")
                    + "; present: " + onnxFiles(dir));
        }
        String repo = options.modelId();
        HubDownloader hub = new HubDownloader(options.hubBaseUrl(), options.cacheDir(), options.displayName(), http.get());
        hub.file(repo, "config.json", true);
        hub.file(repo, "generation_config.json", false);
        hub.file(repo, "tokenizer.json", true);
        hub.file(repo, "tokenizer_config.json", true);
        hub.file(repo, "chat_template.jinja", false);
        for (String candidate : candidates) {
            Path file = hub.file(repo, candidate, false);
            if (file != null) {
                hub.file(repo, candidate + "_data", false);
                return new Resolved(options.displayName(), hub.snapshot(repo), hub.snapshot(repo).resolve(candidate));
            }
        }
        throw OnnxOptions.invalid(options.displayName(), (options.variant() != null
                ? "option 'variant' is " + options.variant() + " but the repository " + repo + " has no " + candidates.get(0)
                : "the repository " + repo + " has none of " + String.join(", ", candidates))
                + " (set option 'variant' to a file it has)");
    }

    private static String onnxFiles(Path dir) {
        List<String> found = new ArrayList<>();
        for (Path d : List.of(dir, dir.resolve("onnx"))) {
            if (Files.isDirectory(d)) {
                try (Stream<Path> files = Files.list(d)) {
                    files.filter(f -> f.getFileName().toString().endsWith(".onnx"))
                            .forEach(f -> found.add(dir.relativize(f).toString()));
                } catch (IOException e) {
                    // listing is only for the message
                }
            }
        }
        java.util.Collections.sort(found);
        return found.isEmpty() ? "none" : String.join(", ", found);
    }
}
