package dev.camelllm.provider.onnx;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.component.LlmComponent;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.component.LlmEndpoint;
import dev.camelllm.component.ProviderSettingsBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A chat model is loaded once per component and shared by its endpoints, so they must agree on what the
 * loaded model is fixed with (generation limits, session threads): another value fails at start, naming the
 * model, each option with both values, and the fix; the same values share one loaded model.
 */
@Timeout(60)
class SharedChatModelTest {

    @BeforeAll
    static void model() {
        TinyModel.require();
    }

    private static String uri(String name, String extra) {
        return "llm:" + name + "?provider=onnx&device=cpu&enableThinking=false&modelPath=" + TinyModel.dir() + extra;
    }

    /** Two routes, a then b, on the tiny model; the onnx factory is this test's, to count its loaded models. */
    private static CamelContext context(OnnxProviderFactory onnx, String a, String b) throws Exception {
        CamelContext context = new DefaultCamelContext();
        LlmComponent llm = new LlmComponent();
        llm.setEnvironment(name -> null);
        llm.registerProvider("onnx", onnx);
        context.addComponent("llm", llm);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").to(a);
                from("direct:b").to(b);
            }
        });
        return context;
    }

    @Test
    void anotherMaxConcurrentGenerationsFailsAtStartNamingBothValuesAndTheFix() throws Exception {
        OnnxProviderFactory onnx = new OnnxProviderFactory();
        CamelContext context = context(onnx, uri("a", "&intraOpThreads=1&maxConcurrentGenerations=1"),
                uri("b", "&intraOpThreads=1&maxConcurrentGenerations=2"));
        try {
            // both endpoints named: the one that loaded the model and the one that disagrees
            assertThatThrownBy(context::start).hasMessageContaining("Failed to start route").satisfies(e -> assertThat(root(e))
                    .isInstanceOf(LlmConfigurationException.class)
                    .hasMessageContaining("model tiny-chat (")
                    .hasMessageContaining("is already loaded for endpoint llm://a?")
                    .hasMessageContaining("other settings than this endpoint's (llm://b?")
                    .hasMessageContaining("maxConcurrentGenerations is 1 where the model was loaded, 2 on this endpoint")
                    .hasMessageContaining("give every endpoint of model tiny-chat the same values of these options")
                    // the URIs carry intraOpThreads=1, but neither a difference nor the threads hint does
                    .hasMessageNotContaining("intraOpThreads is").hasMessageNotContaining("may instead be left unset"));
        } finally {
            context.stop();
        }
    }

    @Test
    void otherThreadsAndQueueFailAtStartTooEachOptionNamed() throws Exception {
        CamelContext context = context(new OnnxProviderFactory(), uri("a", "&intraOpThreads=1"),
                uri("b", "&intraOpThreads=2&interOpThreads=1&maxQueuedGenerations=5"));
        try {
            assertThatThrownBy(context::start).satisfies(e -> assertThat(root(e))
                    .isInstanceOf(LlmConfigurationException.class)
                    .hasMessageContaining("maxQueuedGenerations is 100 where the model was loaded, 5 on this endpoint")
                    .hasMessageContaining("intraOpThreads is 1 where the model was loaded, 2 on this endpoint")
                    .hasMessageContaining("interOpThreads is unset (ONNX Runtime's default) where the model was loaded, "
                            + "1 on this endpoint")
                    .hasMessageContaining("may instead be left unset on every endpoint but the one that loads the model")
                    .hasMessageNotContaining("maxConcurrentGenerations"));
        } finally {
            context.stop();
        }
    }

    @Test
    void theSameSettingsShareOneLoadedModelAndBothAnswer() throws Exception {
        OnnxProviderFactory onnx = new OnnxProviderFactory();
        // b leaves intraOpThreads unset: it asks for nothing and shares the loaded model's one thread
        String a = uri("a", "&intraOpThreads=1&maxConcurrentGenerations=2");
        String b = uri("b", "&maxConcurrentGenerations=2");
        CamelContext context = context(onnx, a, b);
        try {
            context.start();
            String expected = TinyModel.cases().get("hello").expectedCompletion();
            assertThat(context.createProducerTemplate().requestBody("direct:a", "Hello", String.class)).isEqualTo(expected);
            assertThat(context.createProducerTemplate().requestBody("direct:b", "Hello", String.class)).isEqualTo(expected);
            assertThat(onnx.loadedModels()).isEqualTo(1);
            assertThat(localModel(context, b)).isSameAs(localModel(context, a));
            assertThat(localModel(context, a).maxConcurrent()).isEqualTo(2);
        } finally {
            context.stop();
        }
    }

    @Test
    void aThreadOptionSetOnlyAfterTheModelLoadedWithoutItIsAConflict() {
        OnnxProviderFactory onnx = new OnnxProviderFactory();
        try {
            LlmConfiguration unset = TinyModel.config();
            unset.setIntraOpThreads(null);
            onnx.create(ProviderSettingsBuilder.of(unset), TinyModel.context());
            LlmConfiguration one = TinyModel.config();
            assertThatThrownBy(() -> onnx.create(ProviderSettingsBuilder.of(one), TinyModel.context()))
                    .isInstanceOf(LlmConfigurationException.class)
                    .hasMessageContaining("intraOpThreads is unset (ONNX Runtime's default) where the model was loaded, "
                            + "1 on this endpoint");
            assertThat(onnx.loadedModels()).as("no second copy").isEqualTo(1);
        } finally {
            onnx.close();
        }
    }

    private static LocalModel localModel(CamelContext context, String uri) {
        return ((OnnxChatProvider) context.getEndpoint(uri, LlmEndpoint.class).getProvider().delegate()).localModel();
    }

    private static Throwable root(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }
}
