package dev.camelllm.resilience.fault;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.component.LlmEndpoint;
import dev.camelllm.resilience.LocalLimitException;
import dev.camelllm.resilience.ResilienceGroup;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static dev.camelllm.resilience.fault.Upstream.ANSWER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Resilience groups by default: one per provider, base URL and key. Two OpenAI-compatible servers keep
 * their own breakers and limits; endpoints of one server and key share them, and must agree on them.
 */
class GroupFaultTest extends FaultRouteSupport {

    private static final Wire WIRE = Wire.OPENAI;
    private static final String COMPATIBLE = "provider=openai-compatible&maxRetries=0";

    @Test
    void aFailingServerOpensOnlyItsOwnBreaker() throws Exception {
        ScriptedHttpServer failing = fake().then(Upstream.status(503, WIRE.serverError()));
        ScriptedHttpServer healthy = fake().then(Upstream.answer(WIRE, WIRE.model, 9, 4));
        String breakerOptions = COMPATIBLE + "&circuitBreaker=true&circuitBreakerMinimumCalls=2"
                + "&circuitBreakerFailureRate=50&circuitBreakerOpenDuration=60000";
        String badUri = llmUri("bad", WIRE, failing, false, breakerOptions);
        String goodUri = llmUri("good", WIRE, healthy, false, breakerOptions);
        String bad = route(badUri, false);
        String good = route(goodUri, false);
        ResilienceGroup badGroup = group(badUri);
        ResilienceGroup goodGroup = group(goodUri);

        assertThat(badGroup).isNotSameAs(goodGroup);
        assertThat(badGroup.name()).startsWith("openai-compatible@" + WIRE.baseUrl(failing) + "#");
        assertThat(goodGroup.name()).startsWith("openai-compatible@" + WIRE.baseUrl(healthy) + "#");
        for (int i = 0; i < 2; i++) {
            assertThat(send(bad).error().statusCode()).isEqualTo(503);
        }
        assertThat(badGroup.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        // open: refused here, the failing server sees no third request
        assertThat(send(bad).error()).isInstanceOf(LocalLimitException.class)
                .hasMessageContaining("circuit breaker");
        assertThat(requestsTo(failing, WIRE)).isEqualTo(2);

        // the other server's endpoint is untouched by that breaker
        Outcome answer = send(good);
        assertThat(answer.exchange().getException()).isNull();
        assertThat(answer.text()).isEqualTo(ANSWER);
        assertThat(goodGroup.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(requestsTo(healthy, WIRE)).isEqualTo(1);
    }

    @Test
    void endpointsOfOneServerAndKeyShareTheirLimits() throws Exception {
        ScriptedHttpServer server = fake().then(Upstream.answer(WIRE, WIRE.model, 9, 4));
        String limited = COMPATIBLE + "&rateLimitPerMinute=1&rateLimitMode=fail";
        String oneUri = llmUri("one", WIRE, server, false, limited);
        String twoUri = llmUri("two", WIRE, server, false, limited + "&model=other-model");
        String otherKeyUri = llmUri("three", WIRE, server, false, limited + "&apiKey=RAW(another-key-Hh72)");
        String one = route(oneUri, false);
        String two = route(twoUri, false);
        String otherKey = route(otherKeyUri, false);

        assertThat(group(oneUri)).isSameAs(group(twoUri));
        assertThat(group(otherKeyUri)).isNotSameAs(group(oneUri));
        assertThat(send(one).exchange().getException()).isNull();
        // the one request a minute of the group is spent: the second endpoint is refused before the server
        assertThat(send(two).error()).isInstanceOf(LocalLimitException.class)
                .satisfies(e -> assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMIT));
        assertThat(requestsTo(server, WIRE)).isEqualTo(1);
        // another key on the same server is another account, with its own limit
        assertThat(send(otherKey).exchange().getException()).isNull();
        assertThat(requestsTo(server, WIRE)).isEqualTo(2);
    }

    @Test
    void endpointsOfOneGroupWithDifferentLimitsFailAtStart() throws Exception {
        ScriptedHttpServer server = fake().then(Upstream.answer(WIRE, WIRE.model, 9, 4));
        String firstUri = llmUri("first", WIRE, server, false, COMPATIBLE + "&rateLimitPerMinute=1");
        route(firstUri, false);
        String second = llmUri("second", WIRE, server, false, COMPATIBLE + "&rateLimitPerMinute=5&maxConcurrentRequests=2");

        assertThatThrownBy(() -> route(second, false))
                .satisfies(e -> {
                    LlmConfigurationException cause = configurationCause(e);
                    assertThat(cause).as("an LlmConfigurationException in " + e).isNotNull();
                    assertThat(cause.getMessage())
                            .contains("Endpoints llm:first and llm:second are in one resilience group, '"
                                    + group(firstUri).name() + "'")
                            .contains("rateLimitPerMinute: 1 vs 5, maxConcurrentRequests: 0 vs 2 (llm:first's value first)")
                            .contains("give both the same values, or give one of them its own resilienceGroup")
                            .doesNotContain(KEY);
                });

        // the fix the message names: a group of its own
        String own = llmUri("second", WIRE, server, false,
                COMPATIBLE + "&rateLimitPerMinute=5&maxConcurrentRequests=2&resilienceGroup=second");
        assertThat(send(route(own, false)).text()).isEqualTo(ANSWER);
        assertThat(group(own).name()).isEqualTo("second");
    }

    @Test
    void anExplicitGroupIsCheckedToo() throws Exception {
        ScriptedHttpServer a = fake().then(Upstream.answer(WIRE, WIRE.model, 9, 4));
        ScriptedHttpServer b = fake().then(Upstream.answer(WIRE, WIRE.model, 9, 4));
        route(llmUri("a", WIRE, a, false, COMPATIBLE + "&resilienceGroup=shared&circuitBreaker=true"), false);
        String other = llmUri("b", WIRE, b, false, COMPATIBLE + "&resilienceGroup=shared");

        assertThatThrownBy(() -> route(other, false))
                .satisfies(e -> assertThat(configurationCause(e)).isNotNull()
                        .hasMessageContaining("'shared'")
                        .hasMessageContaining("circuitBreaker: true vs false"));
    }

    @Test
    void twoEndpointsOfOneNameAreNamedByTheirUrisWithoutTheKey() throws Exception {
        ScriptedHttpServer server = fake().then(Upstream.answer(WIRE, WIRE.model, 9, 4));
        route(llmUri("same", WIRE, server, false, COMPATIBLE + "&maxConcurrentRequests=1"), false);
        String other = llmUri("same", WIRE, server, false, COMPATIBLE + "&maxConcurrentRequests=3");

        assertThatThrownBy(() -> route(other, false))
                .satisfies(e -> assertThat(configurationCause(e)).isNotNull()
                        .hasMessageContaining("Endpoints llm://same?")
                        .hasMessageContaining("maxConcurrentRequests=1")
                        .hasMessageContaining("maxConcurrentRequests=3")
                        .hasMessageContaining("maxConcurrentRequests: 1 vs 3 (the first's value first)")
                        .hasMessageNotContaining(KEY));
    }

    private ResilienceGroup group(String uri) {
        return context.getEndpoint(uri, LlmEndpoint.class).getProvider().group();
    }

    private static LlmConfigurationException configurationCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof LlmConfigurationException e) {
                return e;
            }
        }
        return null;
    }
}
