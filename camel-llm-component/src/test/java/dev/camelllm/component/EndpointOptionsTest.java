package dev.camelllm.component;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.camelllm.api.LlmConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad options fail at route start, with the option named; nothing waits for the first message. */
@Timeout(30)
class EndpointOptionsTest {

    private static Throwable startWith(String uri) {
        CamelContext context = new DefaultCamelContext();
        try {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").to(uri);
                }
            });
            context.start();
            return null;
        } catch (Exception e) {
            return e;
        } finally {
            context.stop();
        }
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    @Test
    void unknownProviderIsNamed() {
        Throwable e = startWith("llm:chat?provider=nosuch&model=m");
        assertThat(e).isNotNull();
        assertThat(rootCause(e)).isInstanceOf(LlmConfigurationException.class)
                .hasMessageContaining("'nosuch'").hasMessageContaining("option 'provider'");
    }

    @Test
    void cacheStoreStateNeedsASharedStateStore() {
        Throwable e = startWith("llm:chat?provider=openai&model=m&apiKey=k&cache=true&cacheStore=state");
        assertThat(rootCause(e)).isInstanceOf(LlmConfigurationException.class)
                .hasMessageContaining("cacheStore=state needs a shared stateStore").hasMessageContaining("memory");
    }

    @Test
    void missingProviderIsNamed() {
        Throwable e = startWith("llm:chat?model=m");
        assertThat(rootCause(e)).isInstanceOf(LlmConfigurationException.class)
                .hasMessageContaining("Option 'provider' is required");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "temperature=7|temperature",
        "temperature=-0.5|temperature",
        "maxTokens=0|maxTokens",
        "maxTokens=-3|maxTokens",
        "topP=0|topP",
        "topK=0|topK",
        "timeout=0|timeout",
        "thinkingBudget=-1|thinkingBudget",
        "streamFormat=xml|streamFormat",
        "reasoningFormat=guess|reasoningFormat",
        "maxTokensField=tokens|maxTokensField",
        "baseUrl=ftp://host|baseUrl",
        "baseUrl=not a url|baseUrl",
        "responseFormat={broken|responseFormat",
        "unknownToolStrategy=guess|unknownToolStrategy",
        "toolLoopMaxTokens=-1|toolLoopMaxTokens",
        "maxStreamEventBytes=10|maxStreamEventBytes",
        "cacheStore=redis|cacheStore",
        "cacheMaxEntryBytes=0|cacheMaxEntryBytes",
    })
    void invalidValuesAreNamed(String option, String name) {
        Throwable e = startWith("llm:chat?provider=nosuch&" + option);
        assertThat(rootCause(e)).isInstanceOf(LlmConfigurationException.class)
                .hasMessageContaining("option '" + name + "'");
    }

    @Test
    void toolsMustBeAJsonArray() {
        Throwable e = startWith("llm:chat?provider=nosuch&tools=RAW({\"name\":\"x\"})");
        assertThat(rootCause(e)).isInstanceOf(LlmConfigurationException.class)
                .hasMessageContaining("option 'tools'").hasMessageContaining("JSON array");
    }

    @Test
    void aNonNumberIsRejectedByCamelWithTheOptionNamed() {
        assertThatThrownBy(() -> {
            Throwable e = startWith("llm:chat?provider=nosuch&temperature=warm");
            if (e != null) {
                throw e;
            }
        }).hasStackTraceContaining("temperature");
    }
}
