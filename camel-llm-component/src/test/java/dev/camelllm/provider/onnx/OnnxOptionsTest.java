package dev.camelllm.provider.onnx;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.component.ProviderSettingsBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Options are checked at start with the option named. */
@Timeout(30)
class OnnxOptionsTest {

    @TempDir
    Path dir;

    private LlmConfiguration config() {
        LlmConfiguration c = new LlmConfiguration();
        c.setProvider("onnx");
        c.setModelPath(dir.toString());
        return c;
    }

    @Test
    void badValuesNameTheirOption() {
        Map<String, java.util.function.Consumer<LlmConfiguration>> bad = Map.of(
                "'modelPath' (a local model directory) or 'modelId'", c -> c.setModelPath(null),
                "only one of options 'modelPath' and 'modelId'", c -> c.setModelId("a/b"),
                "'device' must be auto, cuda or cpu", c -> c.setDevice("tpu"),
                "option 'deviceId' is a CUDA device index, 0 or more, was -1", c -> c.setDeviceId(-1),
                "'maxConcurrentGenerations' must be at least 1", c -> c.setMaxConcurrentGenerations(0),
                "'hubBaseUrl' must be an http:// or https:// URL", c -> c.setHubBaseUrl("ftp://x"),
                "'repetitionPenalty'", c -> c.setRepetitionPenalty(0.0),
                "'intraOpThreads' must be at least 1", c -> c.setIntraOpThreads(0),
                "'variant' must be a name", c -> c.setVariant("../x"),
                "'modelPath': no directory at", c -> c.setModelPath(dir.resolve("missing").toString()));
        bad.forEach((message, change) -> {
            LlmConfiguration c = config();
            change.accept(c);
            assertThatThrownBy(() -> OnnxOptions.from(ProviderSettingsBuilder.of(c), TinyModel.context()))
                    .isInstanceOf(LlmConfigurationException.class).hasMessageContaining(message);
        });
        LlmConfiguration id = new LlmConfiguration();
        id.setModelId("not a repo");
        assertThatThrownBy(() -> OnnxOptions.from(ProviderSettingsBuilder.of(id), TinyModel.context())).hasMessageContaining("'modelId' must look like owner/name");
    }

    @Test
    void defaults() {
        OnnxOptions o = OnnxOptions.from(ProviderSettingsBuilder.of(config()), TinyModel.context(n -> n.equals("HF_HOME") ? "/data/hf" : null));
        assertThat(o.device()).isEqualTo(OnnxOptions.Device.AUTO);
        assertThat(o.deviceId()).isZero();
        assertThat(o.maxConcurrentGenerations()).isEqualTo(1);
        assertThat(o.hubBaseUrl()).hasToString("https://huggingface.co");
        assertThat(o.cacheDir()).isEqualTo(Path.of("/data/hf/hub"));
        assertThat(o.displayName()).isEqualTo(dir.getFileName().toString());
        LlmConfiguration named = config();
        named.setModel("my-local");
        assertThat(OnnxOptions.from(ProviderSettingsBuilder.of(named), TinyModel.context()).displayName()).isEqualTo("my-local");
        assertThat(ModelLocator.candidates(null, false)).containsExactly("onnx/model_q4.onnx", "onnx/model_int8.onnx",
                "onnx/model_quantized.onnx", "onnx/model.onnx");
        assertThat(ModelLocator.candidates(null, true)).containsExactly("onnx/model_fp16.onnx", "onnx/model_q4f16.onnx",
                "onnx/model.onnx");
    }

    @Test
    void aModelDirectoryWithoutTheVariantListsWhatIsThere() {
        TinyModel.require();
        LlmConfiguration c = TinyModel.config();
        c.setVariant("q4");
        try (OnnxProviderFactory factory = new OnnxProviderFactory()) {
            assertThatThrownBy(() -> factory.create(ProviderSettingsBuilder.of(c), TinyModel.context()))
                    .isInstanceOf(LlmConfigurationException.class)
                    .hasMessageContaining("option 'variant' is q4")
                    .hasMessageContaining("present: onnx/model.onnx, onnx/model_fp16.onnx");
        }
    }
}
