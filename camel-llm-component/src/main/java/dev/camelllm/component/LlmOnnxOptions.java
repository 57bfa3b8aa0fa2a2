package dev.camelllm.component;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Local models (provider onnx): where the model comes from, which file runs where, and how generations share it.
 * Part of {@link LlmConfiguration}; see there why the options are split this way.
 */
@UriParams
public abstract class LlmOnnxOptions extends LlmCacheOptions {

    @UriParam(label = "onnx",
              description = "Local models (provider onnx): a local directory in the Hugging Face layout (config.json, generation_config.json, tokenizer.json, tokenizer_config.json, onnx/model*.onnx). Set this or modelId.")
    private String modelPath;
    @UriParam(label = "onnx",
              description = "Local models (provider onnx): a Hugging Face repository id such as onnx-community/Qwen3-0.6B-ONNX, downloaded once from hubBaseUrl into cacheDir (only the files needed). Set this or modelPath.")
    private String modelId;
    @UriParam(label = "onnx", defaultValue = "https://huggingface.co",
              description = "Local models (provider onnx): the hub that modelId is downloaded from, as {hubBaseUrl}/{modelId}/resolve/main/{file}; a mirror or an internal proxy works too.")
    private String hubBaseUrl = "https://huggingface.co";
    @UriParam(label = "onnx",
              description = "Local models (provider onnx): where downloaded models are kept, in the Hugging Face cache layout. Defaults to $HF_HOME/hub, else ~/.cache/huggingface/hub.")
    private String cacheDir;
    @UriParam(label = "onnx",
              description = "Local models (provider onnx): which ONNX file of the model to run: fp32 (onnx/model.onnx), fp16, q4, q4f16, int8, uint8, quantized, bnb4 (onnx/model_<variant>.onnx) or a path ending in .onnx. Default: the first present of q4, int8, quantized, fp32 on CPU and fp16, q4f16, fp32 on CUDA.")
    private String variant;
    @UriParam(label = "onnx", defaultValue = "auto", enums = "auto,cuda,cpu",
              description = "Local models (provider onnx): where the model runs: auto (CUDA when a CUDA session can be created, else CPU with a warning that says why), cuda (fail when CUDA is not available) or cpu.")
    private String device = "auto";
    @UriParam(label = "onnx", defaultValue = "0",
              description = "Local models (provider onnx): the CUDA device index (0 is the first GPU) that device=cuda or auto runs the model on.")
    private Integer deviceId;
    @UriParam(label = "onnx", defaultValue = "1",
              description = "Local models (provider onnx): how many generations run at once on one loaded model; more requests wait in a bounded queue (maxQueuedGenerations), for at most timeout milliseconds.")
    private int maxConcurrentGenerations = 1;
    @UriParam(label = "onnx", defaultValue = "100",
              description = "Local models (provider onnx): how many requests may wait for a generation slot; one more fails at once with a retryable error.")
    private int maxQueuedGenerations = 100;
    @UriParam(label = "onnx",
              description = "Local models (provider onnx): threads ONNX Runtime uses inside one operator; unset means ONNX Runtime's default (one per physical core).")
    private Integer intraOpThreads;
    @UriParam(label = "onnx",
              description = "Local models (provider onnx): threads ONNX Runtime uses to run independent operators in parallel; unset means ONNX Runtime's default.")
    private Integer interOpThreads;
    @UriParam(label = "onnx",
              description = "Local models (provider onnx): the chat template's enable_thinking flag (e.g. Qwen3 reasons in <think> tags when true). Unset leaves the template's default; a request's thinkingBudget overrides it (0 = off, more = on).")
    private Boolean enableThinking;
    @UriParam(label = "onnx",
              description = "Local models (provider onnx): penalty for tokens already in the prompt or the answer (1.0 = none, 1.1 is a common value), as in Hugging Face transformers.")
    private Double repetitionPenalty;

    public String getModelPath() {
        return modelPath;
    }

    /** Local models (provider onnx): a local directory in the Hugging Face layout (config.json, generation_config.json, tokenizer.json, tokenizer_config.json, onnx/model*.onnx). Set this or modelId. */
    public void setModelPath(String modelPath) {
        this.modelPath = modelPath;
    }

    public String getModelId() {
        return modelId;
    }

    /** Local models (provider onnx): a Hugging Face repository id such as onnx-community/Qwen3-0.6B-ONNX, downloaded once from hubBaseUrl into cacheDir (only the files needed). Set this or modelPath. */
    public void setModelId(String modelId) {
        this.modelId = modelId;
    }

    public String getHubBaseUrl() {
        return hubBaseUrl;
    }

    /** Local models (provider onnx): the hub that modelId is downloaded from, as {hubBaseUrl}/{modelId}/resolve/main/{file}; a mirror or an internal proxy works too. */
    public void setHubBaseUrl(String hubBaseUrl) {
        this.hubBaseUrl = hubBaseUrl;
    }

    public String getCacheDir() {
        return cacheDir;
    }

    /** Local models (provider onnx): where downloaded models are kept, in the Hugging Face cache layout. Defaults to $HF_HOME/hub, else ~/.cache/huggingface/hub. */
    public void setCacheDir(String cacheDir) {
        this.cacheDir = cacheDir;
    }

    public String getVariant() {
        return variant;
    }

    /** Local models (provider onnx): which ONNX file of the model to run: fp32 (onnx/model.onnx), fp16, q4, q4f16, int8, uint8, quantized, bnb4 (onnx/model_<variant>.onnx) or a path ending in .onnx. Default: the first present of q4, int8, quantized, fp32 on CPU and fp16, q4f16, fp32 on CUDA. */
    public void setVariant(String variant) {
        this.variant = variant;
    }

    public String getDevice() {
        return device;
    }

    /** Local models (provider onnx): where the model runs: auto (CUDA when a CUDA session can be created, else CPU with a warning that says why), cuda (fail when CUDA is not available) or cpu. */
    public void setDevice(String device) {
        this.device = device;
    }

    public Integer getDeviceId() {
        return deviceId;
    }

    /** Local models (provider onnx): the CUDA device index (0 is the first GPU) that device=cuda or auto runs the model on. */
    public void setDeviceId(Integer deviceId) {
        this.deviceId = deviceId;
    }

    public int getMaxConcurrentGenerations() {
        return maxConcurrentGenerations;
    }

    /** Local models (provider onnx): how many generations run at once on one loaded model; more requests wait in a bounded queue (maxQueuedGenerations), for at most timeout milliseconds. */
    public void setMaxConcurrentGenerations(int maxConcurrentGenerations) {
        this.maxConcurrentGenerations = maxConcurrentGenerations;
    }

    public int getMaxQueuedGenerations() {
        return maxQueuedGenerations;
    }

    /** Local models (provider onnx): how many requests may wait for a generation slot; one more fails at once with a retryable error. */
    public void setMaxQueuedGenerations(int maxQueuedGenerations) {
        this.maxQueuedGenerations = maxQueuedGenerations;
    }

    public Integer getIntraOpThreads() {
        return intraOpThreads;
    }

    /** Local models (provider onnx): threads ONNX Runtime uses inside one operator; unset means ONNX Runtime's default (one per physical core). */
    public void setIntraOpThreads(Integer intraOpThreads) {
        this.intraOpThreads = intraOpThreads;
    }

    public Integer getInterOpThreads() {
        return interOpThreads;
    }

    /** Local models (provider onnx): threads ONNX Runtime uses to run independent operators in parallel; unset means ONNX Runtime's default. */
    public void setInterOpThreads(Integer interOpThreads) {
        this.interOpThreads = interOpThreads;
    }

    public Boolean getEnableThinking() {
        return enableThinking;
    }

    /** Local models (provider onnx): the chat template's enable_thinking flag (e.g. Qwen3 reasons in <think> tags when true). Unset leaves the template's default; a request's thinkingBudget overrides it (0 = off, more = on). */
    public void setEnableThinking(Boolean enableThinking) {
        this.enableThinking = enableThinking;
    }

    public Double getRepetitionPenalty() {
        return repetitionPenalty;
    }

    /** Local models (provider onnx): penalty for tokens already in the prompt or the answer (1.0 = none, 1.1 is a common value), as in Hugging Face transformers. */
    public void setRepetitionPenalty(Double repetitionPenalty) {
        this.repetitionPenalty = repetitionPenalty;
    }
}
