package dev.camelllm.provider.onnx;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmTimeoutException;
import dev.camelllm.spi.CallContext;

/**
 * A loaded encoder (sentence-embedding) model: its OrtSession, its tokenizer and its pooling. A batch of
 * texts is padded to its longest and goes through one {@code session.run}; the token vectors are pooled
 * with the attention mask and normalised as the model's files say. Runs of several callers may overlap, up
 * to {@code maxConcurrent}; {@link #close()} waits for running batches, then frees the native sessions.
 *
 * <p>On the CPU with ONNX Runtime's default threads the model has a second, single-threaded session for
 * small work (at most {@link #SMALL_WORK_TOKENS} tokens in the batch, padding included: a routing prompt, a
 * cache lookup's query). Why: each operator of so short a run is small, and handing its pieces to the
 * intra-op pool's other threads (which spin while they wait) doubled the CPU time of a short prompt and
 * made its latency depend on the other core: on two busy cores a routing decision was faster on one thread,
 * on a free machine the pool saved 0.1-0.2 ms at most (docs/benchmarks.md, "Embeddings"). Larger batches still use every core. Both sessions load the same
 * file, so the vectors are the same within float rounding (bit for bit in our measurement); the second one
 * costs its own copy of the weights in memory.
 */
final class EmbeddingModel implements AutoCloseable {

    /** What one batch gave: a vector per text, and the tokens the texts took. */
    record Vectors(List<float[]> vectors, long tokens) {
    }

    /** Most tokens (texts × padded length) a batch may have to run on {@link #small}. */
    static final int SMALL_WORK_TOKENS = 64;

    private final String name;
    private final OrtEnvironment env;
    private final OrtSession session;
    /** Single-threaded session for small batches; null when there is none (CUDA, threads configured, one core). */
    private final OrtSession small;
    private final EmbeddingTokenizer tokenizer;
    private final Pooling pooling;
    private final String output;
    private final boolean pooledOutput;
    private final boolean typeIds;
    private final int dimensions;
    private final String device;
    private final Semaphore running;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;

    /** @param small a single-threaded session of the same model for small batches, or null */
    EmbeddingModel(String name, OrtEnvironment env, OrtSession session, OrtSession small, EmbeddingTokenizer tokenizer,
                   Pooling pooling, int maxConcurrent, String device) {
        this.name = name;
        this.env = env;
        this.session = session;
        this.small = small;
        this.tokenizer = tokenizer;
        this.pooling = pooling;
        this.device = device;
        this.running = new Semaphore(maxConcurrent, true);
        try {
            Set<String> inputs = session.getInputNames();
            for (String input : inputs) {
                if (!input.equals("input_ids") && !input.equals("attention_mask") && !input.equals("token_type_ids")) {
                    throw OnnxOptions.invalid(name, "the ONNX model has an input '" + input + "'; an embedding model takes "
                            + "input_ids, attention_mask and optionally token_type_ids");
                }
            }
            if (!inputs.contains("input_ids") || !inputs.contains("attention_mask")) {
                throw OnnxOptions.invalid(name, "the ONNX model has no input_ids or attention_mask input: not an encoder model "
                        + "(inputs: " + inputs + ")");
            }
            typeIds = inputs.contains("token_type_ids");
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            String tokens = null;
            String pooled = null;
            for (Map.Entry<String, NodeInfo> e : outputs.entrySet()) {
                if (e.getValue().getInfo() instanceof TensorInfo t) {
                    if (t.getShape().length == 3 && (tokens == null || e.getKey().equals("last_hidden_state")
                            || e.getKey().equals("token_embeddings"))) {
                        tokens = e.getKey();
                    } else if (t.getShape().length == 2 && pooled == null) {
                        pooled = e.getKey();
                    }
                }
            }
            if (tokens == null && pooled == null) {
                throw OnnxOptions.invalid(name, "the ONNX model has no [batch, tokens, dims] or [batch, dims] float output "
                        + "(outputs: " + outputs.keySet() + ")");
            }
            output = tokens != null ? tokens : pooled;
            pooledOutput = tokens == null;
            long[] shape = ((TensorInfo) outputs.get(output).getInfo()).getShape();
            long dims = shape[shape.length - 1];
            dimensions = dims > 0 ? (int) dims : probeDimensions();
        } catch (OrtException e) {
            throw OnnxOptions.invalid(name, "ONNX Runtime cannot read the model's inputs and outputs: " + e.getMessage());
        }
    }

    private int probeDimensions() {
        return embed(List.of("dimensions"), null).vectors().get(0).length;
    }

    /** Whether a run could start now without waiting for a slot (a hint: another caller may take it first). */
    boolean hasFreeSlot() {
        return running.availablePermits() > 0;
    }

    /** Embeds the texts in one run, waiting for a running slot at most the call's time left. */
    Vectors embed(List<String> texts, CallContext call) {
        if (texts.isEmpty()) {
            return new Vectors(List.of(), 0);
        }
        boolean acquired = false;
        try {
            if (call != null) {
                long nanos = call.timeLeft().toNanos();
                acquired = running.tryAcquire(nanos, TimeUnit.NANOSECONDS);
                if (!acquired) {
                    throw new LlmTimeoutException(OnnxOptions.PROVIDER, name, "no embedding slot of model " + name
                            + " came free within the call's time (" + nanos / 1_000_000 + " ms)", null);
                }
            } else {
                running.acquire();
                acquired = true;
            }
            return run(texts, call);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException(ErrorKind.CANCELLED, OnnxOptions.PROVIDER, name, "interrupted while waiting for the model");
        } finally {
            if (acquired) {
                running.release();
            }
        }
    }

    private Vectors run(List<String> texts, CallContext call) {
        EmbeddingTokenizer.Batch batch = tokenizer.encode(texts);
        long[] shape = {batch.texts(), batch.length()};
        lifecycle.readLock().lock();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try (OrtSession.RunOptions options = new OrtSession.RunOptions()) {
            if (closed) {
                throw new LlmException(ErrorKind.CANCELLED, OnnxOptions.PROVIDER, name,
                        "the model was unloaded (the component is stopping)");
            }
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(batch.ids()), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(batch.mask()), shape));
            if (typeIds) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(batch.types()), shape));
            }
            // a cancelled call (client gone, context stopping) ends the run inside ONNX Runtime
            CallContext.Registration cancel = call == null ? () -> { } : call.onCancel(() -> terminate(options));
            OrtSession runOn = runsSmall(batch.texts(), batch.length()) ? small : session;
            try (cancel; OrtSession.Result result = runOn.run(inputs, Set.of(output), Map.of(), options)) {
                return new Vectors(vectors(result, batch), batch.tokens());
            }
        } catch (OrtException e) {
            if (call != null && call.isCancelled()) {
                throw new LlmException(ErrorKind.CANCELLED, OnnxOptions.PROVIDER, name, "the embedding was cancelled");
            }
            throw new LlmException(ErrorKind.PROVIDER, OnnxOptions.PROVIDER, name, "ONNX Runtime failed to embed "
                    + texts.size() + " texts: " + e.getMessage());
        } finally {
            inputs.values().forEach(OnnxTensor::close);
            lifecycle.readLock().unlock();
        }
    }

    private static void terminate(OrtSession.RunOptions options) {
        try {
            options.setTerminate(true);
        } catch (OrtException | RuntimeException e) {
            // the run ends by itself
        }
    }

    private List<float[]> vectors(OrtSession.Result result, EmbeddingTokenizer.Batch batch) throws OrtException {
        OnnxValue value = result.get(output).orElseThrow();
        if (!(value instanceof OnnxTensor tensor)) {
            throw new OrtException("output " + output + " is not a tensor");
        }
        long[] shape = tensor.getInfo().getShape();
        FloatBuffer buffer = tensor.getFloatBuffer();
        if (buffer == null) {
            throw new OrtException("output " + output + " is not float32");
        }
        float[] flat = new float[buffer.remaining()];
        buffer.get(flat);
        List<float[]> out = new ArrayList<>(batch.texts());
        if (pooledOutput) {
            int dims = (int) shape[1];
            Pooling plain = new Pooling(Pooling.Mode.CLS, pooling.normalize(), pooling.maxSeqLength());
            for (int i = 0; i < batch.texts(); i++) {
                out.add(plain.pool(flat, i, 1, dims, new long[batch.texts()]));
            }
            return out;
        }
        int length = (int) shape[1];
        int dims = (int) shape[2];
        for (int i = 0; i < batch.texts(); i++) {
            out.add(pooling.pool(flat, i, length, dims, batch.mask()));
        }
        return out;
    }

    /** The tokens a text takes, for usage without a run. */
    int countTokens(String text) {
        return tokenizer.count(text);
    }

    String name() {
        return name;
    }

    int dimensions() {
        return dimensions;
    }

    String device() {
        return device;
    }

    /** Whether a batch of that many texts padded to that length runs on the single-threaded session. */
    boolean runsSmall(int texts, int length) {
        return small != null && (long) texts * length <= SMALL_WORK_TOKENS;
    }

    /** Whether small batches run on a single-threaded session of their own (tests). */
    boolean hasSmallWorkSession() {
        return small != null;
    }

    EmbeddingTokenizer tokenizer() {
        return tokenizer;
    }

    static void closeQuietly(OrtSession s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (OrtException e) {
            // nothing left to free
        }
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
            closeQuietly(small);
        } finally {
            tokenizer.close();
            lifecycle.writeLock().unlock();
        }
    }
}
