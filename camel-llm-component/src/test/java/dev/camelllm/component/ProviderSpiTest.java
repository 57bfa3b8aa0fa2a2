package dev.camelllm.component;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PropertyBindingSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.api.ResponseAssembler;
import dev.camelllm.spi.CallContext;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatProviderFactory;
import dev.camelllm.spi.ChatStream;
import dev.camelllm.spi.Json;
import dev.camelllm.spi.ProviderSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The provider SPI seen from a route: any provider name that is found, its own options under the
 * {@code provider.} prefix (URI) or in a profile's provider-options (properties), and a clear error
 * that lists the known names for one that is not.
 */
@Timeout(30)
class ProviderSpiTest {

    private final List<ProviderSettings> seen = new CopyOnWriteArrayList<>();

    /** A provider the component does not know, registered in code: it answers with its region. */
    private ChatProviderFactory acme() {
        return ChatProviderFactory.of("acme", (settings, ctx) -> {
            seen.add(settings);
            return new RegionProvider(settings.extra("region"), settings.model());
        });
    }

    private CamelContext contextWith(String uri, Map<String, Object> componentProperties) throws Exception {
        CamelContext context = new DefaultCamelContext();
        LlmComponent llm = new LlmComponent();
        llm.setEnvironment(name -> null);
        llm.registerProvider("acme", acme());
        // what camel-main does with camel.component.llm.* properties
        PropertyBindingSupport.build().withMandatory(true).bind(context, llm, new java.util.HashMap<>(componentProperties));
        context.addComponent("llm", llm);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(uri);
            }
        });
        return context;
    }

    @Test
    void providerOptionsOnTheUriReachTheSettings() throws Exception {
        CamelContext context = contextWith("llm:x?provider=acme&model=m1&provider.region=eu&provider.tier=gold", Map.of());
        try {
            context.start();
            String answer = context.createProducerTemplate().requestBody("direct:in", "hello", String.class);

            assertThat(answer).isEqualTo("hello from eu");
            ProviderSettings s = seen.get(0);
            assertThat(s.provider()).isEqualTo("acme");
            assertThat(s.model()).isEqualTo("m1");
            assertThat(s.extras()).containsOnly(Map.entry("region", "eu"), Map.entry("tier", "gold"));
            assertThat(s.timeout()).isEqualTo(Duration.ofMillis(120000));
            assertThat(s.string("anthropicVersion")).as("a provider-specific option, by name").isEqualTo("2023-06-01");
        } finally {
            context.stop();
        }
    }

    @Test
    void aProfilesProviderOptionsComeFromPropertiesAndTheUriAddsToThem() throws Exception {
        CamelContext context = contextWith("llm:p?provider.tier=gold", Map.of(
                "profiles[p].provider", "acme",
                "profiles[p].model", "m2",
                "profiles[p].provider-options[region]", "us"));
        try {
            context.start();
            String answer = context.createProducerTemplate().requestBody("direct:in", "hi", String.class);

            assertThat(answer).isEqualTo("hi from us");
            assertThat(seen.get(0).extras()).containsOnly(Map.entry("region", "us"), Map.entry("tier", "gold"));
            LlmComponent llm = context.getComponent("llm", LlmComponent.class);
            assertThat(llm.getProfiles().get("p").getProviderOptions())
                    .as("the endpoint's own options stay out of the profile").containsOnlyKeys("region");
        } finally {
            context.stop();
        }
    }

    @Test
    void anUnknownProviderFailsAtStartListingTheKnownNames() throws Exception {
        CamelContext context = contextWith("llm:chat?provider=nosuch&model=m", Map.of());
        try {
            assertThatThrownBy(context::start).satisfies(e -> {
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                assertThat(root).isInstanceOf(LlmConfigurationException.class)
                        .hasMessageContaining("'nosuch'").hasMessageContaining("option 'provider'")
                        .hasMessageContaining("[acme, anthropic, azure-openai, bedrock, gemini, onnx, openai, openai-compatible, openai-responses]")
                        .hasMessageContaining("META-INF/services/dev.camelllm.spi.ChatProviderFactory");
            });
        } finally {
            context.stop();
        }
    }

    @Test
    void theGeneratedComponentJsonDescribesTheOptionAndAcceptsAnyProvider() throws Exception {
        JsonNode json;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/dev/camelllm/component/llm.json")) {
            json = Json.MAPPER.readTree(in);
        }
        JsonNode option = json.path("properties").path("providerOptions");
        assertThat(option.path("prefix").asText()).isEqualTo("provider.");
        assertThat(option.path("multiValue").asBoolean()).isTrue();
        assertThat(option.path("description").asText()).contains("provider.region=eu");
        assertThat(json.path("properties").path("provider").has("enum")).as("any provider name is accepted").isFalse();
    }

    @Test
    void typedLookupsNameTheOptionOfABadValue() {
        ProviderSettings s = ProviderSettings.of(Map.of("maxTokens", "many", "timeout", 5000L, "stream", "yes"), Map.of());
        assertThatThrownBy(s::maxTokens).isInstanceOf(LlmConfigurationException.class)
                .hasMessageContaining("'maxTokens'").hasMessageContaining("whole number");
        assertThatThrownBy(() -> s.bool("stream", false)).hasMessageContaining("'stream'");
        assertThat(s.millis("timeout")).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.streamReadTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.withDefaults(Map.of("model", "from-env", "timeout", 1L)).model()).isEqualTo("from-env");
        assertThat(s.withDefaults(Map.of("timeout", 1L)).timeout()).as("a set option wins").isEqualTo(Duration.ofSeconds(5));
        assertThat(ProviderSettings.of(Map.of("apiKey", "k-secret-123"), Map.of()).toString()).doesNotContain("k-secret-123");
    }

    /** Answers "<user text> from <region>". */
    private record RegionProvider(String region, String model) implements ChatProvider {

        @Override
        public String name() {
            return "acme";
        }

        @Override
        public ChatResponse chat(ChatRequest request, CallContext call) {
            ResponseAssembler a = new ResponseAssembler();
            try (ChatStream s = stream(request, call)) {
                while (s.hasNext()) {
                    a.accept(s.next());
                }
            }
            return a.build(name(), model, -1, 0);
        }

        @Override
        public ChatStream stream(ChatRequest request, CallContext call) {
            String text = request.messages().get(request.messages().size() - 1).text() + " from " + region;
            java.util.Iterator<ChatChunk> chunks = List.<ChatChunk>of(new ChatChunk.TextDelta(text),
                    new ChatChunk.Finish(FinishReason.STOP, "stop")).iterator();
            return new ChatStream() {
                @Override
                public boolean hasNext() {
                    return chunks.hasNext();
                }

                @Override
                public ChatChunk next() {
                    return chunks.next();
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
