package dev.camelllm.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.component.LlmConstants;

/**
 * The app's /chat route with its default provider switched to OpenAI's Responses API, as
 * {@code LLM_PROVIDER=openai-responses} does, against a loopback fake speaking that API.
 */
@Timeout(60)
class ResponsesProviderRoutesTest extends RoutesTestSupport {

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = super.useOverridePropertiesWithPropertiesComponent();
        p.put("camel.component.llm.provider", "openai-responses");
        return p;
    }

    @Test
    void chatRouteAnswersThroughTheResponsesApi() throws Exception {
        startWithDirectEntries("chat");
        local.then(ex -> ex.respond(200, "application/json", """
                {"id":"resp_1","object":"response","created_at":1741476542,"status":"completed","error":null,
                 "incomplete_details":null,"model":"gpt-4.1-2025-04-14","output":[{"type":"message","id":"msg_1",
                 "status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hi there!","annotations":[]}]}],
                 "store":false,"usage":{"input_tokens":5,"input_tokens_details":{"cached_tokens":0},"output_tokens":3,
                 "output_tokens_details":{"reasoning_tokens":0},"total_tokens":8}}"""));

        Exchange out = template.request("direct:chat", e -> e.getMessage().setBody("Hello"));

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(String.class)).isEqualTo("Hi there!");
        assertThat(out.getMessage().getHeader(LlmConstants.PROVIDER)).isEqualTo("openai-responses");
        assertThat(local.requests().get(local.requests().size() - 1).path()).isEqualTo("/v1/responses");
        assertThat(local.requests().get(local.requests().size() - 1).body()).contains("\"store\":false");
    }
}
