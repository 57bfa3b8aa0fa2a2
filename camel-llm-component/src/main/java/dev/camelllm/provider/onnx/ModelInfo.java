package dev.camelllm.provider.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

/**
 * The decoder graph's interface, read from the session rather than assumed: the KV cache inputs
 * ({@code past_key_values.{i}.key|value}, [batch, kv_heads, past, head_dim]) and their outputs
 * ({@code present.{i}.key|value}), the KV dtype (float32 or float16), whether {@code position_ids} and
 * {@code num_logits_to_keep} are inputs, and the logits' vocabulary size and dtype.
 */
record ModelInfo(
        List<String> pastNames,
        List<String> presentNames,
        OnnxJavaType kvType,
        int kvHeads,
        int headDim,
        int vocab,
        OnnxJavaType logitsType,
        boolean hasAttentionMask,
        boolean hasPositionIds,
        boolean hasNumLogitsToKeep) {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String POSITION_IDS = "position_ids";
    static final String NUM_LOGITS_TO_KEEP = "num_logits_to_keep";
    static final String LOGITS = "logits";

    int layers() {
        return pastNames.size() / 2;
    }

    static ModelInfo of(OrtSession session, ModelMetadata meta, String displayName) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (!inputs.containsKey(INPUT_IDS) || !outputs.containsKey(LOGITS)) {
            throw OnnxOptions.invalid(displayName, "the ONNX model is not a decoder with input_ids and logits: inputs "
                    + inputs.keySet() + ", outputs " + outputs.keySet());
        }
        List<String> pasts = new ArrayList<>();
        List<String> presents = new ArrayList<>();
        for (int i = 0; inputs.containsKey("past_key_values." + i + ".key"); i++) {
            for (String kv : List.of("key", "value")) {
                String past = "past_key_values." + i + "." + kv;
                String present = outputs.containsKey("present." + i + "." + kv) ? "present." + i + "." + kv
                        : "present_key_values." + i + "." + kv;
                if (!inputs.containsKey(past) || !outputs.containsKey(present)) {
                    throw OnnxOptions.invalid(displayName, "the ONNX model has no " + past + " / present." + i + "." + kv
                            + " pair; outputs are " + outputs.keySet());
                }
                pasts.add(past);
                presents.add(present);
            }
        }
        if (pasts.isEmpty()) {
            throw OnnxOptions.invalid(displayName, "the ONNX model has no KV cache inputs (past_key_values.0.key): "
                    + "export it with past key values (e.g. optimum's text-generation-with-past)");
        }
        Set<String> known = new java.util.HashSet<>(pasts);
        known.addAll(List.of(INPUT_IDS, ATTENTION_MASK, POSITION_IDS, NUM_LOGITS_TO_KEEP));
        for (String name : inputs.keySet()) {
            if (!known.contains(name)) {
                throw OnnxOptions.invalid(displayName, "the ONNX model has an input this provider cannot feed: " + name);
            }
        }
        TensorInfo kv = (TensorInfo) inputs.get(pasts.get(0)).getInfo();
        if (kv.type != OnnxJavaType.FLOAT && kv.type != OnnxJavaType.FLOAT16) {
            throw OnnxOptions.invalid(displayName, "KV cache type " + kv.type + " is not supported (float32 or float16)");
        }
        long[] kvShape = kv.getShape();
        int kvHeads = kvShape.length == 4 && kvShape[1] > 0 ? (int) kvShape[1] : meta.kvHeads();
        int headDim = kvShape.length == 4 && kvShape[3] > 0 ? (int) kvShape[3] : meta.headDim();
        TensorInfo logits = (TensorInfo) outputs.get(LOGITS).getInfo();
        long[] logitsShape = logits.getShape();
        int vocab = logitsShape.length == 3 && logitsShape[2] > 0 ? (int) logitsShape[2] : meta.vocabSize();
        if (kvHeads <= 0 || headDim <= 0 || vocab <= 0) {
            throw OnnxOptions.invalid(displayName, "cannot tell the KV cache shape or vocabulary size from the model "
                    + "or config.json (kv heads " + kvHeads + ", head dim " + headDim + ", vocab " + vocab + ")");
        }
        if (logits.type != OnnxJavaType.FLOAT && logits.type != OnnxJavaType.FLOAT16) {
            throw OnnxOptions.invalid(displayName, "logits type " + logits.type + " is not supported (float32 or float16)");
        }
        return new ModelInfo(List.copyOf(pasts), List.copyOf(presents), kv.type, kvHeads, headDim, vocab, logits.type,
                inputs.containsKey(ATTENTION_MASK), inputs.containsKey(POSITION_IDS),
                inputs.containsKey(NUM_LOGITS_TO_KEEP));
    }
}
