package dev.camelllm.provider.onnx;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.constraint.TokenIndex;
import dev.camelllm.constraint.TokenVocabulary;

/**
 * A loaded model: one OrtSession (shared by every endpoint that names the same files and device), its
 * tokenizer, chat template and metadata, and the limiter of concurrent generations. Steps of many
 * generations run on the session at once (ONNX Runtime allows concurrent runs); {@link #close()} waits
 * for running steps and then frees the native session.
 */
final class LocalModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalModel.class);

    private final String name;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final ModelInfo info;
    private final ModelMetadata metadata;
    private final HfTokenizer tokenizer;
    private final ChatTemplate template;
    private final GenerationLimiter limiter;
    private final int maxConcurrent;
    private final Path tokenizerJson;
    private volatile TokenIndex constraintIndex;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private LocalModel(String name, OrtEnvironment environment, OrtSession session, ModelInfo info,
                       ModelMetadata metadata, HfTokenizer tokenizer, ChatTemplate template, OnnxOptions options,
                       Path tokenizerJson) {
        this.tokenizerJson = tokenizerJson;
        this.name = name;
        this.environment = environment;
        this.session = session;
        this.info = info;
        this.metadata = metadata;
        this.tokenizer = tokenizer;
        this.template = template;
        this.maxConcurrent = options.maxConcurrentGenerations();
        this.limiter = new GenerationLimiter(options.maxConcurrentGenerations(), options.maxQueuedGenerations());
    }

    /** Loads the model by path on the CPU or CUDA, with session options of its own (tests, and nothing shared). */
    static LocalModel load(ModelLocator.Resolved files, DeviceSelector.Choice device, OnnxOptions options) {
        try (OrtSession.SessionOptions so = DeviceSelector.sessionOptions(device, options)) {
            return load(files, device, options, so);
        }
    }

    /**
     * Loads the model by path (external .onnx_data next to it resolves) with the session options made for the
     * device. The chat template must render before the session is created: a model whose prompts cannot be
     * made fails here, at route start, naming the template's error.
     *
     * @throws DeviceSelector.CudaUnavailableException when the session cannot be created on CUDA
     */
    static LocalModel load(ModelLocator.Resolved files, DeviceSelector.Choice device, OnnxOptions options,
                           OrtSession.SessionOptions sessionOptions) {
        String name = files.name();
        long start = System.nanoTime();
        ModelMetadata metadata = ModelMetadata.read(files.dir(), name);
        HfTokenizer tokenizer = HfTokenizer.load(files.dir(), name);
        OrtSession session = null;
        try {
            ChatTemplate template = ChatTemplates.forModel(metadata, name);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            session = createSession(env, files, device, sessionOptions);
            ModelInfo info = ModelInfo.of(session, metadata, name);
            LOG.info("Loaded model {} ({}) on {}: {} layers, {} KV cache, vocabulary {}, num_logits_to_keep {}, in {} ms",
                    name, files.dir().relativize(files.onnxFile()), device.executionProvider(),
                    info.layers(), info.kvType() == ai.onnxruntime.OnnxJavaType.FLOAT ? "float32" : "float16",
                    info.vocab(), info.hasNumLogitsToKeep() ? "yes" : "no", (System.nanoTime() - start) / 1_000_000);
            return new LocalModel(name, env, session, info, metadata, tokenizer, template, options,
                    files.dir().resolve("tokenizer.json"));
        } catch (OrtException e) {
            closeQuietly(session);
            tokenizer.close();
            throw OnnxOptions.invalid(name, "ONNX Runtime cannot read the inputs and outputs of " + files.onnxFile()
                    + ": " + e.getMessage());
        } catch (RuntimeException e) {
            closeQuietly(session);
            tokenizer.close();
            throw e;
        }
    }

    private static OrtSession createSession(OrtEnvironment env, ModelLocator.Resolved files, DeviceSelector.Choice device,
                                            OrtSession.SessionOptions sessionOptions) {
        try {
            return env.createSession(files.onnxFile().toString(), sessionOptions);
        } catch (OrtException | RuntimeException | LinkageError e) {
            if (device.cuda()) {
                throw new DeviceSelector.CudaUnavailableException("the session cannot be created on it: "
                        + DeviceSelector.reason(e), e);
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw OnnxOptions.invalid(files.name(), "ONNX Runtime cannot load " + files.onnxFile() + " on "
                    + device.executionProvider() + ": " + e.getMessage());
        }
    }

    /** One forward pass; fails cleanly once the model is closed. */
    OrtSession.Result run(Map<String, OnnxTensor> inputs, Set<String> outputs, Map<String, ? extends OnnxValue> pinned,
                          OrtSession.RunOptions runOptions) throws OrtException {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new LlmException(ErrorKind.CANCELLED, OnnxOptions.PROVIDER, name,
                        "the model was unloaded (the component is stopping)");
            }
            return session.run(inputs, outputs, pinned, runOptions);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    String name() {
        return name;
    }

    OrtEnvironment environment() {
        return environment;
    }

    ModelInfo info() {
        return info;
    }

    ModelMetadata metadata() {
        return metadata;
    }

    HfTokenizer tokenizer() {
        return tokenizer;
    }

    ChatTemplate template() {
        return template;
    }

    /**
     * The token trie and tables of constrained decoding over this model's vocabulary, built on first use (the
     * first endpoint with a responseFormat) and shared by every generation after it.
     */
    TokenIndex constraintIndex() {
        TokenIndex index = constraintIndex;
        if (index == null) {
            synchronized (this) {
                index = constraintIndex;
                if (index == null) {
                    long start = System.nanoTime();
                    try {
                        index = new TokenIndex(TokenVocabulary.read(tokenizerJson, info.vocab()), metadata.eosTokenIds());
                    } catch (IllegalArgumentException e) {
                        throw OnnxOptions.invalid(name, "responseFormat cannot be enforced: " + e.getMessage());
                    }
                    LOG.info("Model {}: token index for constrained decoding built over {} tokens ({} trie nodes) in {} ms",
                            name, index.vocabularySize(), index.trieNodes(), (System.nanoTime() - start) / 1_000_000);
                    constraintIndex = index;
                }
            }
        }
        return index;
    }

    GenerationLimiter limiter() {
        return limiter;
    }

    int maxConcurrent() {
        return maxConcurrent;
    }

    boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        lifecycle.writeLock().lock();
        try {
            closeQuietly(session);
            tokenizer.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private static void closeQuietly(OrtSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException | RuntimeException e) {
                LOG.debug("Closing the ONNX session failed", e);
            }
        }
    }
}
