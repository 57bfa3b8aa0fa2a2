package dev.camelllm.provider.onnx;

import java.util.function.Supplier;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.camelllm.http.HttpTransport;

/**
 * Decides where a model runs and loads it there. device=cpu loads on the CPU. device=cuda and device=auto try
 * CUDA device {@code deviceId}: the CUDA execution provider is added to the session options (which fails on
 * the CPU build of ONNX Runtime, or without the NVIDIA driver, CUDA 12 or cuDNN 9), then the session is
 * created (which can still fail: a device index that does not exist, out of GPU memory, an operator CUDA
 * cannot run). When either fails, device=cuda fails at route start and device=auto loads on the CPU with a
 * warning that says why.
 */
final class DeviceSelector {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceSelector.class);

    /** Where the model runs and why, for the one log line that says so. */
    record Choice(boolean cuda, int deviceId, String reason) {
        String executionProvider() {
            return cuda ? "CUDA device " + deviceId : "CPU";
        }
    }

    /** Loads the model's files on one choice with the session options made for it (shared loads may skip them). */
    interface Loader {
        LocalModel load(ModelLocator.Resolved files, Choice device, OrtSession.SessionOptions sessionOptions);
    }

    /** Adding the CUDA execution provider or creating the session on CUDA failed; the message says why. */
    static final class CudaUnavailableException extends RuntimeException {
        CudaUnavailableException(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    private DeviceSelector() {
    }

    /** @param http the endpoint's transport, for a model that is downloaded (modelId) */
    static LocalModel load(OnnxOptions options, Supplier<HttpTransport> http, Loader loader) {
        if (options.device() != OnnxOptions.Device.CPU) {
            Choice cuda = new Choice(true, options.deviceId(), "device=" + options.device().name().toLowerCase(java.util.Locale.ROOT));
            try {
                return loadOn(cuda, options, http, loader);
            } catch (CudaUnavailableException e) {
                if (options.device() == OnnxOptions.Device.CUDA) {
                    throw OnnxOptions.invalid(options.displayName(), "option 'device' is cuda but CUDA device "
                            + options.deviceId() + " cannot be used: " + e.getMessage() + ". Use the GPU build of ONNX "
                            + "Runtime (com.microsoft.onnxruntime:onnxruntime_gpu instead of onnxruntime, see "
                            + "docs/local-models.md) on a machine with an NVIDIA driver, CUDA 12 and cuDNN 9, or use "
                            + "device=auto or device=cpu");
                }
                LOG.warn("Model {}: CUDA device {} cannot be used ({}); the model runs on the CPU. Set device=cpu to "
                        + "skip trying CUDA; the GPU build of ONNX Runtime is in docs/local-models.md",
                        options.displayName(), options.deviceId(), e.getMessage());
                return loadOn(new Choice(false, 0, "device=auto, CUDA unavailable"), options, http, loader);
            }
        }
        return loadOn(new Choice(false, 0, "device=cpu"), options, http, loader);
    }

    /**
     * The session options come first: on a machine without CUDA, adding the CUDA provider fails before any
     * file of a CUDA variant is looked for or downloaded.
     */
    private static LocalModel loadOn(Choice device, OnnxOptions options, Supplier<HttpTransport> http, Loader loader) {
        try (OrtSession.SessionOptions so = sessionOptions(device, options)) {
            LocalModel model = loader.load(ModelLocator.resolve(options, device.cuda(), http), device, so);
            LOG.info("Model {} runs on {}: {}", options.displayName(), device.executionProvider(), device.reason());
            return model;
        }
    }

    /** Session options for the choice: optimisation, threads and, for CUDA, its execution provider on the device. */
    static OrtSession.SessionOptions sessionOptions(Choice device, OnnxOptions options) {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (options.intraOpThreads() != null) {
                so.setIntraOpNumThreads(options.intraOpThreads());
            }
            if (options.interOpThreads() != null) {
                so.setInterOpNumThreads(options.interOpThreads());
            }
        } catch (OrtException e) {
            so.close();
            throw OnnxOptions.invalid(options.displayName(), "ONNX Runtime refuses the session options: " + e.getMessage());
        }
        if (device.cuda()) {
            try {
                so.addCUDA(device.deviceId());
            } catch (OrtException | RuntimeException | LinkageError e) {
                so.close();
                throw new CudaUnavailableException(reason(e), e);
            }
        }
        return so;
    }

    static String reason(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.strip();
    }
}
