package dev.camelllm.provider.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.platform.Fp16Conversions;

/**
 * One sequence's forward passes with a KV cache. Each {@link #step} feeds the new token ids, the
 * attention mask and positions for the whole sequence so far, and the previous step's
 * {@code present.*} outputs as {@code past_key_values.*} inputs: the very OnnxTensors of the previous
 * Result, no copy (the previous Result is closed once the step that read them is done). The first step
 * gets empty pasts ([1, kv_heads, 0, head_dim]).
 *
 * <p>Logits go into a pinned output buffer of ours (a direct buffer ONNX Runtime writes into), of
 * which only the last position is read: no per-step allocation, and no copy of a whole
 * [1, prompt, vocab] tensor. When the model has {@code num_logits_to_keep} it computes the last
 * position only; without it, a long prompt is fed in chunks so that the logits buffer stays bounded.
 *
 * <p>Not thread-safe, except {@link #terminate()}, which aborts a running step from any thread.
 */
final class DecoderSession implements AutoCloseable {

    /** Bytes of logits one prefill pass may produce when the model cannot keep just the last position. */
    static final long LOGITS_BUDGET_BYTES = 64L << 20;

    private final LocalModel model;
    private final ModelInfo info;
    private final OrtEnvironment env;
    private final OrtSession.RunOptions runOptions;
    private final Set<String> presentOutputs;
    private final float[] lastLogits;
    private final int logitsBytes;
    private final long logitsBudgetBytes;
    private OnnxTensor[] pasts;
    private OnnxTensor[] emptyPasts;
    private OrtSession.Result previous;
    private OnnxTensor keepOne;
    private OnnxTensor stepLogits;
    private ByteBuffer stepLogitsBuffer;
    private int position;
    private volatile boolean closed;

    DecoderSession(LocalModel model) {
        this(model, LOGITS_BUDGET_BYTES);
    }

    /** @param logitsBudgetBytes bytes of logits one prefill pass may produce (without num_logits_to_keep) */
    DecoderSession(LocalModel model, long logitsBudgetBytes) {
        this.model = model;
        this.logitsBudgetBytes = logitsBudgetBytes;
        this.info = model.info();
        this.env = model.environment();
        this.presentOutputs = new LinkedHashSet<>(info.presentNames());
        this.lastLogits = new float[info.vocab()];
        this.logitsBytes = info.logitsType() == OnnxJavaType.FLOAT ? 4 : 2;
        try {
            this.runOptions = new OrtSession.RunOptions();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create ONNX Runtime run options: " + e.getMessage(), e);
        }
    }

    /** How many tokens the cache holds. */
    int position() {
        return position;
    }

    /**
     * Runs the model over {@code ids} (the prompt on the first call, then one token at a time) and
     * returns the logits of the last position. The array is reused by the next step.
     */
    float[] step(long[] ids) throws OrtException {
        if (closed) {
            throw new IllegalStateException("decoder session is closed");
        }
        int chunk = info.hasNumLogitsToKeep() ? ids.length
                : (int) Math.max(1, Math.min(ids.length, logitsBudgetBytes / ((long) info.vocab() * logitsBytes)));
        for (int from = 0; from < ids.length; from += chunk) {
            run(ids, from, Math.min(ids.length, from + chunk));
        }
        return lastLogits;
    }

    private void run(long[] ids, int from, int to) throws OrtException {
        int n = to - from;
        int total = position + n;
        int rows = info.hasNumLogitsToKeep() ? 1 : n;
        boolean temporaryLogits = rows > 1;
        ByteBuffer logitsBuffer = temporaryLogits ? logitsBuffer(rows) : stepLogitsBuffer();
        OnnxTensor logits = temporaryLogits ? logitsTensor(logitsBuffer, rows) : stepLogits;
        OnnxTensor inputIds = null;
        OnnxTensor attention = null;
        OnnxTensor positionIds = null;
        try {
            inputIds = OnnxTensor.createTensor(env, LongBuffer.wrap(ids, from, n).slice(), new long[] {1, n});
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(ModelInfo.INPUT_IDS, inputIds);
            if (info.hasAttentionMask()) {
                long[] mask = new long[total];
                Arrays.fill(mask, 1L);
                attention = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {1, total});
                inputs.put(ModelInfo.ATTENTION_MASK, attention);
            }
            if (info.hasPositionIds()) {
                long[] positions = new long[n];
                for (int i = 0; i < n; i++) {
                    positions[i] = position + i;
                }
                positionIds = OnnxTensor.createTensor(env, LongBuffer.wrap(positions), new long[] {1, n});
                inputs.put(ModelInfo.POSITION_IDS, positionIds);
            }
            if (info.hasNumLogitsToKeep()) {
                inputs.put(ModelInfo.NUM_LOGITS_TO_KEEP, keepOne());
            }
            OnnxTensor[] currentPasts = pasts != null ? pasts : emptyPasts();
            List<String> pastNames = info.pastNames();
            for (int i = 0; i < pastNames.size(); i++) {
                inputs.put(pastNames.get(i), currentPasts[i]);
            }
            OrtSession.Result result = model.run(inputs, presentOutputs, Map.of(ModelInfo.LOGITS, logits), runOptions);
            // the previous presents were this step's pasts: only now may they go
            if (previous != null) {
                previous.close();
            }
            previous = result;
            OnnxTensor[] next = new OnnxTensor[info.presentNames().size()];
            for (int i = 0; i < next.length; i++) {
                OnnxValue v = result.get(info.presentNames().get(i))
                        .orElseThrow(() -> new IllegalStateException("the model did not return its KV cache"));
                next[i] = (OnnxTensor) v;
            }
            pasts = next;
            position = total;
            readLastRow(logitsBuffer, rows);
        } finally {
            close(inputIds);
            close(attention);
            close(positionIds);
            if (temporaryLogits) {
                logits.close();
            }
        }
    }

    private ByteBuffer logitsBuffer(int rows) {
        return ByteBuffer.allocateDirect(rows * info.vocab() * logitsBytes).order(ByteOrder.nativeOrder());
    }

    /** A [1, rows, vocab] tensor over our buffer: ONNX Runtime writes the logits straight into it. */
    private OnnxTensor logitsTensor(ByteBuffer buffer, int rows) throws OrtException {
        return OnnxTensor.createTensor(env, buffer, new long[] {1, rows, info.vocab()}, info.logitsType());
    }

    /** The one-row logits buffer and tensor, kept for every decode step of this sequence. */
    private ByteBuffer stepLogitsBuffer() throws OrtException {
        if (stepLogits == null) {
            stepLogitsBuffer = logitsBuffer(1);
            stepLogits = logitsTensor(stepLogitsBuffer, 1);
        }
        return stepLogitsBuffer;
    }

    private void readLastRow(ByteBuffer buffer, int rows) {
        int offset = (rows - 1) * info.vocab();
        if (info.logitsType() == OnnxJavaType.FLOAT) {
            buffer.asFloatBuffer().get(offset, lastLogits);
        } else {
            ShortBuffer halves = buffer.asShortBuffer();
            for (int i = 0; i < lastLogits.length; i++) {
                lastLogits[i] = Fp16Conversions.fp16ToFloat(halves.get(offset + i));
            }
        }
    }

    private OnnxTensor keepOne() throws OrtException {
        if (keepOne == null) {
            keepOne = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {1}), new long[0]);
        }
        return keepOne;
    }

    private OnnxTensor[] emptyPasts() throws OrtException {
        if (emptyPasts == null) {
            long[] shape = {1, info.kvHeads(), 0, info.headDim()};
            emptyPasts = new OnnxTensor[info.pastNames().size()];
            for (int i = 0; i < emptyPasts.length; i++) {
                emptyPasts[i] = OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder()),
                        shape, info.kvType());
            }
        }
        return emptyPasts;
    }

    /** Aborts a step running on another thread; this session cannot run again. */
    void terminate() {
        synchronized (runOptions) {
            if (closed) {
                return;
            }
            try {
                runOptions.setTerminate(true);
            } catch (OrtException e) {
                // the step ends on its own
            }
        }
    }

    @Override
    public void close() {
        synchronized (runOptions) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (previous != null) {
            previous.close();
            previous = null;
        }
        pasts = null;
        if (emptyPasts != null) {
            for (OnnxTensor t : emptyPasts) {
                t.close();
            }
            emptyPasts = null;
        }
        close(keepOne);
        close(stepLogits);
        keepOne = null;
        stepLogits = null;
        runOptions.close();
    }

    private static void close(OnnxTensor t) {
        if (t != null) {
            t.close();
        }
    }
}
