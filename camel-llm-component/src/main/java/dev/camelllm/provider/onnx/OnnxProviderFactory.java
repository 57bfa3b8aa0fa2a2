package dev.camelllm.provider.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.camelllm.http.HttpTransport;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatProviderFactory;
import dev.camelllm.spi.ProviderContext;
import dev.camelllm.spi.ProviderSettings;

/**
 * The onnx provider: local models in the Hugging Face layout run by ONNX Runtime on CUDA or the CPU.
 * Loads each chat model (model files, variant, device) once and shares the session between all endpoints
 * that use it, which must agree on the settings it is loaded with ({@link LoadSettings}); the component closes
 * the factory (and so the sessions) when it stops.
 */
public class OnnxProviderFactory implements ChatProviderFactory {

    /**
     * A loaded chat model, the settings it was loaded with, which every endpoint that shares it must agree on, and
     * the endpoint that loaded it (null when not known), which a conflict names.
     */
    private record Loaded(LocalModel model, LoadSettings settings, String loadedBy) {
    }

    private final Map<String, Loaded> models = new HashMap<>();
    /** Sentence-embedding models (operation=embed), loaded apart from the chat models. */
    private final EmbeddingModels embeddings = new EmbeddingModels();

    @Override
    public String name() {
        return OnnxOptions.PROVIDER;
    }

    @Override
    public ChatProvider create(ProviderSettings settings, ProviderContext context) {
        if (EmbeddingModels.selects(settings)) {
            return embeddings.provider(settings, context);
        }
        OnnxOptions options = OnnxOptions.from(settings, context);
        LocalModel model = DeviceSelector.load(options, () -> context.service(HttpTransport.class),
                (files, device, sessionOptions) -> model(files, device, options, sessionOptions, settings.endpoint()));
        return new OnnxChatProvider(model, options);
    }

    private synchronized LocalModel model(ModelLocator.Resolved files, DeviceSelector.Choice device, OnnxOptions options,
                                          ai.onnxruntime.OrtSession.SessionOptions sessionOptions, String endpoint) {
        String key = key(files.onnxFile()) + "|" + device.executionProvider();
        Loaded loaded = models.get(key);
        LoadSettings asked = LoadSettings.of(options);
        if (loaded == null || loaded.model().closed()) {
            loaded = new Loaded(LocalModel.load(files, device, options, sessionOptions), asked, endpoint);
            models.put(key, loaded);
            return loaded.model();
        }
        List<LoadSettings.Conflict> conflicts = loaded.settings().conflicts(asked);
        if (!conflicts.isEmpty()) {
            throw conflict(files, device, conflicts, loaded.loadedBy(), endpoint);
        }
        return loaded.model();
    }

    /** An endpoint that asks a loaded chat model for other settings: each difference, and how to agree. */
    private static RuntimeException conflict(ModelLocator.Resolved files, DeviceSelector.Choice device,
                                             List<LoadSettings.Conflict> conflicts, String loadedBy, String asking) {
        String differences = conflicts.stream().map(LoadSettings.Conflict::toString).collect(Collectors.joining("; "));
        boolean threads = conflicts.stream().anyMatch(LoadSettings.Conflict::threads);
        return OnnxOptions.invalid(files.name(), "model " + files.name() + " (" + files.onnxFile() + " on "
                + device.executionProvider() + ") is already loaded for "
                + (loadedBy == null ? "another endpoint" : "endpoint " + loadedBy) + " with other settings than this "
                + "endpoint's" + (asking == null ? "" : " (" + asking + ")") + ": " + differences
                + ". A chat model is loaded once and shared by every endpoint that uses it: "
                + "give every endpoint of model " + files.name() + " the same values of these options"
                + (threads ? " (intraOpThreads and interOpThreads may instead be left unset on every endpoint but the one "
                        + "that loads the model: an endpoint without them uses the loaded model's threads)" : ""));
    }

    private static String key(Path file) {
        try {
            return file.toRealPath().toString();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize().toString();
        }
    }

    /** How many models are loaded (for tests and the health view). */
    synchronized int loadedModels() {
        return (int) models.values().stream().filter(m -> !m.model().closed()).count();
    }

    @Override
    public synchronized void close() {
        for (Loaded loaded : models.values()) {
            loaded.model().close();
        }
        models.clear();
        embeddings.close();
    }
}
