package dev.camelllm.provider.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Decides where a model runs. device=auto tries the CUDA execution provider and falls back to the CPU
 * when it does not load (the CPU build of ONNX Runtime, no driver, no CUDA 12 / cuDNN 9 libraries);
 * device=cuda fails instead of falling back.
 */
final class DeviceSelector {

    /** Where the model runs and why, for the one log line that says so. */
    record Choice(boolean cuda, String reason) {
        String executionProvider() {
            return cuda ? "CUDA" : "CPU";
        }
    }

    private DeviceSelector() {
    }

    static Choice choose(OnnxOptions.Device device, String displayName) {
        if (device == OnnxOptions.Device.CPU) {
            return new Choice(false, "device=cpu");
        }
        String failure = cudaFailure();
        if (failure == null) {
            return new Choice(true, "device=" + device.name().toLowerCase(java.util.Locale.ROOT)
                    + ", CUDA execution provider loaded");
        }
        if (device == OnnxOptions.Device.CUDA) {
            throw OnnxOptions.invalid(displayName, "option 'device' is cuda but the CUDA execution provider is not "
                    + "available: " + failure + ". Build with the gpu profile (com.microsoft.onnxruntime:onnxruntime_gpu) "
                    + "on a machine with an NVIDIA driver, CUDA 12 and cuDNN 9, or use device=auto or device=cpu");
        }
        return new Choice(false, "CUDA unavailable: " + failure + "; using CPU");
    }

    /** Adds the CUDA EP to throw-away options: null when it loads, else why not. */
    private static String cudaFailure() {
        try (OrtSession.SessionOptions probe = new OrtSession.SessionOptions()) {
            probe.addCUDA(0);
            return null;
        } catch (OrtException | RuntimeException | LinkageError e) {
            String message = e.getMessage();
            return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.strip();
        }
    }
}
