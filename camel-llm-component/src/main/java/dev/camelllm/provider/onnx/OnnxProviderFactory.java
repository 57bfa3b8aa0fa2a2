package dev.camelllm.provider.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.camelllm.http.HttpTransport;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatProviderFactory;
import dev.camelllm.spi.ProviderContext;
import dev.camelllm.spi.ProviderSettings;

/**
 * The onnx provider: local models in the Hugging Face layout run by ONNX Runtime on CUDA or the CPU.
 * Loads each (model files, variant, device) once and shares the session between all endpoints that use
 * it; the component closes the factory (and so the sessions) when it stops.
 */
public class OnnxProviderFactory implements ChatProviderFactory {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxProviderFactory.class);

    private final Map<String, LocalModel> models = new HashMap<>();
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
                (files, device, sessionOptions) -> model(files, device, options, sessionOptions));
        return new OnnxChatProvider(model, options);
    }

    private synchronized LocalModel model(ModelLocator.Resolved files, DeviceSelector.Choice device, OnnxOptions options,
                                          ai.onnxruntime.OrtSession.SessionOptions sessionOptions) {
        String key = key(files.onnxFile()) + "|" + device.executionProvider();
        LocalModel model = models.get(key);
        if (model == null || model.closed()) {
            model = LocalModel.load(files, device, options, sessionOptions);
            models.put(key, model);
        } else if (model.maxConcurrent() != options.maxConcurrentGenerations()) {
            LOG.warn("Model {} is already loaded with maxConcurrentGenerations={}; the endpoint's {} does not apply "
                    + "(one limit per loaded model)", files.name(), model.maxConcurrent(), options.maxConcurrentGenerations());
        }
        return model;
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
        return (int) models.values().stream().filter(m -> !m.closed()).count();
    }

    @Override
    public synchronized void close() {
        for (LocalModel model : models.values()) {
            model.close();
        }
        models.clear();
        embeddings.close();
    }
}
