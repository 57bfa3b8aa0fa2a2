package dev.camelllm.provider.onnx;

import java.util.List;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.component.ProviderSettingsBuilder;
import dev.camelllm.observability.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Where a local model runs when CUDA cannot be used. The build has the CPU build of ONNX Runtime, which has
 * no CUDA execution provider: creating a session on CUDA fails for real (adding the provider throws), so
 * device=auto must load on the CPU with a warning that says why, and device=cuda must fail at start.
 */
@Timeout(60)
class OnnxDeviceTest {

    @BeforeAll
    static void cpuBuild() {
        TinyModel.require();
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
                "the GPU build of ONNX Runtime is on the classpath: CUDA may work here");
    }

    private static LlmConfiguration config(String device, Integer deviceId) {
        LlmConfiguration c = TinyModel.config();
        c.setDevice(device);
        c.setDeviceId(deviceId);
        return c;
    }

    @Test
    void autoRunsOnTheCpuWithAWarningThatSaysWhy() {
        TinyModel.Case hello = TinyModel.cases().get("hello");
        List<LogCapture.Line> lines;
        try (LogCapture capture = LogCapture.attach(); OnnxProviderFactory factory = new OnnxProviderFactory()) {
            OnnxChatProvider provider = (OnnxChatProvider) factory.create(ProviderSettingsBuilder.of(config("auto", null)),
                    TinyModel.context());
            // a working CPU session: the model's exact greedy answer
            assertThat(provider.chat(hello.request()).text()).isEqualTo(hello.expectedCompletion());
            lines = capture.lines();
        }
        List<LogCapture.Line> warnings = lines.stream().filter(l -> l.logger().equals(DeviceSelector.class.getName()))
                .filter(l -> l.level() == Level.WARN).toList();
        assertThat(warnings).singleElement().satisfies(w -> assertThat(w.message())
                .startsWith("Model tiny-chat: CUDA device 0 cannot be used (")
                .contains("the model runs on the CPU").contains("device=cpu"));
        assertThat(lines).anySatisfy(l -> assertThat(l.message()).isEqualTo(
                "Model tiny-chat runs on CPU: device=auto, CUDA unavailable"));
        assertThat(lines).anySatisfy(l -> assertThat(l.message()).startsWith("Loaded model tiny-chat (onnx/model.onnx) on CPU"));
    }

    @Test
    void autoNamesTheDeviceItTried() {
        try (LogCapture capture = LogCapture.attach(); OnnxProviderFactory factory = new OnnxProviderFactory()) {
            factory.create(ProviderSettingsBuilder.of(config("auto", 1)), TinyModel.context());
            assertThat(capture.lines()).anySatisfy(l -> {
                assertThat(l.level()).isEqualTo(Level.WARN);
                assertThat(l.message()).startsWith("Model tiny-chat: CUDA device 1 cannot be used (");
            });
        }
    }

    @Test
    void cudaFailsAtStartAndSaysWhyAndWhatToDo() {
        try (OnnxProviderFactory factory = new OnnxProviderFactory()) {
            assertThatThrownBy(() -> factory.create(ProviderSettingsBuilder.of(config("cuda", 2)), TinyModel.context()))
                    .isInstanceOf(LlmConfigurationException.class)
                    .hasMessageContaining("option 'device' is cuda but CUDA device 2 cannot be used: ")
                    .hasMessageContaining("onnxruntime_gpu")
                    .hasMessageContaining("device=auto or device=cpu");
            assertThat(factory.loadedModels()).isZero();
        }
    }

    @Test
    void cpuDoesNotTryCuda() {
        try (LogCapture capture = LogCapture.attach(); OnnxProviderFactory factory = new OnnxProviderFactory()) {
            factory.create(ProviderSettingsBuilder.of(config("cpu", null)), TinyModel.context());
            assertThat(capture.lines()).noneSatisfy(l -> assertThat(l.level()).isEqualTo(Level.WARN));
            assertThat(capture.lines()).anySatisfy(l -> assertThat(l.message()).isEqualTo("Model tiny-chat runs on CPU: device=cpu"));
        }
    }
}
