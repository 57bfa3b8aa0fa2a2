package dev.camelllm.provider.onnx;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.spi.ProviderContext;
import dev.camelllm.spi.ProviderSettings;

/** The local-model options of one endpoint, checked at route start; a bad value fails with the option named. */
record OnnxOptions(
        Path modelPath,
        String modelId,
        URI hubBaseUrl,
        Path cacheDir,
        String variant,
        Device device,
        int deviceId,
        int maxConcurrentGenerations,
        int maxQueuedGenerations,
        Integer intraOpThreads,
        Integer interOpThreads,
        Boolean enableThinking,
        Double repetitionPenalty,
        String displayName,
        long timeoutMs) {

    enum Device {
        AUTO,
        CUDA,
        CPU
    }

    static final String PROVIDER = "onnx";

    private static final Pattern REPO_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*");

    /** These options with ONNX Runtime's intra-op threads set to {@code threads}. */
    OnnxOptions withIntraOpThreads(int threads) {
        return new OnnxOptions(modelPath, modelId, hubBaseUrl, cacheDir, variant, device, deviceId, maxConcurrentGenerations,
                maxQueuedGenerations, threads, interOpThreads, enableThinking, repetitionPenalty, displayName, timeoutMs);
    }

    static OnnxOptions from(ProviderSettings c, ProviderContext context) {
        String model = c.model();
        String pathOption = c.string("modelPath");
        String idOption = c.string("modelId");
        boolean hasPath = pathOption != null;
        boolean hasId = idOption != null;
        if (hasPath == hasId) {
            throw invalid(model, hasPath
                    ? "set only one of options 'modelPath' and 'modelId'"
                    : "option 'modelPath' (a local model directory) or 'modelId' (a Hugging Face repository id such as "
                      + "onnx-community/Qwen3-0.6B-ONNX) is required");
        }
        Path modelPath = null;
        String modelId = null;
        if (hasPath) {
            try {
                modelPath = Path.of(pathOption).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                throw invalid(model, "option 'modelPath' is not a path: " + pathOption);
            }
            if (!Files.isDirectory(modelPath)) {
                throw invalid(model, "option 'modelPath': no directory at " + modelPath);
            }
        } else {
            modelId = idOption;
            if (!REPO_ID.matcher(modelId).matches()) {
                throw invalid(model, "option 'modelId' must look like owner/name (e.g. onnx-community/Qwen3-0.6B-ONNX), was '"
                        + modelId + "'");
            }
        }
        URI hub = hubUrl(model, c.string("hubBaseUrl"));
        Path cacheDir = cacheDir(model, c.string("cacheDir"), context);
        Device device = device(model, c.string("device"));
        int deviceId = c.integer("deviceId", 0);
        if (deviceId < 0) {
            throw invalid(model, "option 'deviceId' is a CUDA device index, 0 or more, was " + deviceId);
        }
        int maxConcurrent = c.integer("maxConcurrentGenerations", 1);
        int maxQueued = c.integer("maxQueuedGenerations", 100);
        if (maxConcurrent < 1) {
            throw invalid(model, "option 'maxConcurrentGenerations' must be at least 1, was " + maxConcurrent);
        }
        if (maxQueued < 0) {
            throw invalid(model, "option 'maxQueuedGenerations' must be 0 or more, was " + maxQueued);
        }
        Integer intraOp = c.integer("intraOpThreads");
        Integer interOp = c.integer("interOpThreads");
        positive(model, "intraOpThreads", intraOp);
        positive(model, "interOpThreads", interOp);
        Double penalty = c.decimal("repetitionPenalty");
        if (penalty != null && (penalty.isNaN() || penalty <= 0 || penalty > 10)) {
            throw invalid(model, "option 'repetitionPenalty' must be greater than 0 and at most 10, was " + penalty);
        }
        String variant = c.string("variant");
        if (variant != null && !variant.endsWith(".onnx") && !variant.matches("[A-Za-z0-9_]+")) {
            throw invalid(model, "option 'variant' must be a name such as fp32, fp16, q4, q4f16, int8, quantized, or a "
                    + "path ending in .onnx, was '" + variant + "'");
        }
        String display = model != null ? model
                : modelPath != null ? modelPath.getFileName().toString() : modelId;
        return new OnnxOptions(modelPath, modelId, hub, cacheDir, variant, device, deviceId, maxConcurrent, maxQueued, intraOp,
                interOp, c.bool("enableThinking"), penalty, display, c.timeout().toMillis());
    }

    private static URI hubUrl(String model, String value) {
        String v = value == null || value.isBlank() ? "https://huggingface.co" : value.trim();
        URI uri;
        try {
            uri = URI.create(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
        } catch (IllegalArgumentException e) {
            throw invalid(model, "option 'hubBaseUrl' is not a URL: " + v);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw invalid(model, "option 'hubBaseUrl' must be an http:// or https:// URL with a host, was " + v);
        }
        return uri;
    }

    /** The Hugging Face cache: HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub. */
    private static Path cacheDir(String model, String value, ProviderContext context) {
        try {
            if (value != null && !value.isBlank()) {
                return Path.of(value.trim()).toAbsolutePath().normalize();
            }
            String hubCache = context.env("HF_HUB_CACHE");
            if (hubCache != null) {
                return Path.of(hubCache).toAbsolutePath().normalize();
            }
            String home = context.env("HF_HOME");
            if (home != null) {
                return Path.of(home, "hub").toAbsolutePath().normalize();
            }
            return Path.of(System.getProperty("user.home"), ".cache", "huggingface", "hub");
        } catch (InvalidPathException e) {
            throw invalid(model, "option 'cacheDir' is not a path: " + e.getMessage());
        }
    }

    private static Device device(String model, String value) {
        String v = value == null || value.isBlank() ? "auto" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "auto" -> Device.AUTO;
            case "cuda", "gpu" -> Device.CUDA;
            case "cpu" -> Device.CPU;
            default -> throw invalid(model, "option 'device' must be auto, cuda or cpu, was '" + value + "'");
        };
    }

    private static void positive(String model, String option, Integer value) {
        if (value != null && value < 1) {
            throw invalid(model, "option '" + option + "' must be at least 1, was " + value);
        }
    }

    static LlmConfigurationException invalid(String model, String message) {
        return new LlmConfigurationException(PROVIDER, model, message);
    }
}
