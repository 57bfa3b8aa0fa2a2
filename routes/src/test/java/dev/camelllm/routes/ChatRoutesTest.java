package dev.camelllm.routes;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.component.LlmConstants;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app's own YAML routes, loaded by Camel Main with the app's application.properties, against an
 * OpenAI-format fake on loopback (the provider switched by properties, as a user would).
 */
@Timeout(60)
class ChatRoutesTest extends RoutesTestSupport {

    @Override
    public String isMockEndpoints() {
        return "log:dev.camelllm.tokens*";
    }

    private void adviseFromDirect() throws Exception {
        startWithDirectEntries("chat", "chat-stream");
    }

    private static String sse(String json) {
        return "data: " + json + "\n\n";
    }

    private static String delta(String text) {
        return sse("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"" + text + "\"},\"finish_reason\":null}]}");
    }

    @Test
    void chatRouteAnswersThroughTheConfiguredProvider() throws Exception {
        adviseFromDirect();
        local.then(ex -> ex.respond(200, "application/json", """
                {"id":"c1","object":"chat.completion","model":"gpt-4o-mini","choices":[{"index":0,
                 "message":{"role":"assistant","content":"Hi there!"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}"""));

        Exchange out = template.request("direct:chat", e -> e.getMessage().setBody("Hello"));

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(String.class)).isEqualTo("Hi there!");
        assertThat(out.getMessage().getHeader(LlmConstants.OUTPUT_TOKENS)).isEqualTo(3L);
        assertThat(local.requests().get(local.requests().size() - 1).body()).contains("\"content\":\"Hello\"");
    }

    /** Tokens reach the downstream endpoint while the upstream still holds the rest of the answer back. */
    @Test
    void streamRouteSplitsTokensAsTheyArrive() throws Exception {
        adviseFromDirect();
        MockEndpoint tokens = getMockEndpoint("mock:log:dev.camelllm.tokens");
        tokens.expectedBodiesReceived("One", ", two", ", three.");
        CountDownLatch firstSeen = new CountDownLatch(1);
        tokens.whenExchangeReceived(1, e -> firstSeen.countDown());
        local.then(ex -> {
            ex.startStream(200);
            ex.send(delta("One"));
            if (!firstSeen.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the route never saw the first token");
            }
            ex.send(delta(", two") + delta(", three."));
            ex.send(sse("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{},\"finish_reason\":\"stop\"}]}"));
            ex.send(sse("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
                    + "\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":3,\"total_tokens\":7}}"));
            ex.send(sse("[DONE]"));
            ex.endStream();
        });

        Exchange out = template.request("direct:chat-stream", e -> e.getMessage().setBody("Count to three"));

        assertThat(out.getException()).isNull();
        tokens.assertIsSatisfied(Duration.ofSeconds(5).toMillis());
        assertThat(out.getMessage().getBody(String.class)).isEqualTo("One, two, three.");
        assertThat(out.getMessage().getHeader(LlmConstants.FINISH_REASON)).isEqualTo("stop");
        assertThat(out.getMessage().getHeader(LlmConstants.OUTPUT_TOKENS)).isEqualTo(3L);
        assertThat(local.errors()).isEmpty();
        List<ScriptedHttpServer.Request> requests = local.requests();
        assertThat(requests.get(requests.size() - 1).body()).contains("\"stream\":true");
    }
}
