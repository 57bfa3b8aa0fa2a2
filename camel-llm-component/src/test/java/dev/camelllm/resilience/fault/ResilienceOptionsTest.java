package dev.camelllm.resilience.fault;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.component.LlmComponent;
import dev.camelllm.component.LlmConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad resilience options fail at route start with the option named, not at the first failure in
 * production (RELIABILITY.md, "Bad input").
 */
@Timeout(30)
class ResilienceOptionsTest {

    private static final String BASE = "llm:chat?provider=openai&model=m&apiKey=k&baseUrl=http://127.0.0.1:9/v1";

    private static Throwable startWith(String uri, Map<String, LlmConfiguration> profiles) {
        CamelContext context = new DefaultCamelContext();
        try {
            LlmComponent llm = new LlmComponent();
            llm.setEnvironment(name -> null);
            llm.setProfiles(profiles);
            context.addComponent("llm", llm);
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
        assertThat(t).as("the route started").isNotNull();
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "maxRetries=-1|maxRetries",
        "maxRetries=1000|maxRetries",
        "retryInitialDelay=-5|retryInitialDelay",
        "retryMaxDelay=-5|retryMaxDelay",
        "retryMultiplier=0.5|retryMultiplier",
        "retryJitter=2|retryJitter",
        "retryJitter=-0.1|retryJitter",
        "maxRetryAfter=-1|maxRetryAfter",
        "rateLimitPerMinute=-3|rateLimitPerMinute",
        "rateLimitPerHour=-3|rateLimitPerHour",
        "tokensPerMinute=-1|tokensPerMinute",
        "rateLimitMode=maybe|rateLimitMode",
        "rateLimitMaxWait=-1|rateLimitMaxWait",
        "maxConcurrentRequests=-1|maxConcurrentRequests",
        "maxConcurrentWait=-1|maxConcurrentWait",
        "firstTokenTimeout=-200|firstTokenTimeout",
        "streamIdleTimeout=-1|streamIdleTimeout",
        "circuitBreakerFailureRate=0|circuitBreakerFailureRate",
        "circuitBreakerFailureRate=101|circuitBreakerFailureRate",
        "circuitBreakerMinimumCalls=0|circuitBreakerMinimumCalls",
        "circuitBreakerOpenDuration=0|circuitBreakerOpenDuration",
    })
    void invalidResilienceOptionsAreNamedAtStart(String option, String name) {
        Throwable e = startWith(BASE + "&" + option, Map.of());

        assertThat(rootCause(e)).isInstanceOf(LlmConfigurationException.class)
                .hasMessageContaining("option '" + name + "'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "fallbacks=backup,nosuch|fallbacks",
        "contextWindowFallbacks=nosuch|contextWindowFallbacks",
        "contentPolicyFallbacks=nosuch|contentPolicyFallbacks",
    })
    void aFallbackThatIsNoProfileIsNamedAtStart(String option, String name) {
        LlmConfiguration backup = new LlmConfiguration();
        backup.setProvider("openai");
        Throwable e = startWith(BASE + "&" + option, Map.of("backup", backup));

        assertThat(rootCause(e)).isInstanceOf(LlmConfigurationException.class)
                .hasMessageContaining("option '" + name + "'")
                .hasMessageContaining("'nosuch'");
    }

    @Test
    void validOptionsStart() {
        LlmConfiguration backup = new LlmConfiguration();
        backup.setProvider("openai");
        assertThat(startWith(BASE + "&maxRetries=0&retryJitter=1&rateLimitMode=fail&circuitBreaker=true"
                + "&circuitBreakerFailureRate=100&fallbacks=backup", Map.of("backup", backup))).isNull();
    }
}
