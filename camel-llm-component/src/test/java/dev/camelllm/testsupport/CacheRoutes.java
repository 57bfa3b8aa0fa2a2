package dev.camelllm.testsupport;

import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.component.LlmConstants;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the cache route tests share: the chat endpoint in front of an OpenAI-format fake, the two routes they
 * send through (direct:in, and direct:stream, whose streamed chunks are collected in a list), the fake's
 * whole and streamed answers, and the meters' counts.
 */
public final class CacheRoutes {

    private CacheRoutes() {
    }

    /** An OpenAI chat endpoint of profile {@code chat} in front of the fake, without retries, then {@code options} ({@code &…}). */
    public static String chatUri(ScriptedHttpServer upstream, String apiKey, String options) {
        return "llm:chat?provider=openai&maxRetries=0&model=gpt-4o-mini&apiKey=" + apiKey + "&baseUrl="
                + upstream.baseUrl() + "/v1" + options;
    }

    /** direct:in to the endpoint; direct:stream to it streamed as chunks, each chunk added to {@code streamed}. */
    public static RouteBuilder routes(String uri, List<ChatChunk> streamed) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(uri);
                from("direct:stream").to(uri + "&stream=true&streamFormat=chunks")
                        .split(body()).streaming().process(e -> streamed.add(e.getMessage().getBody(ChatChunk.class))).end();
            }
        };
    }

    /**
     * Asks through direct:in, with a system prompt, a gateway key and a CamelLlmCache header when not null;
     * the call must answer.
     */
    public static Exchange ask(ProducerTemplate template, String text, String systemPrompt, String gatewayKey,
                               String cacheHeader) {
        Exchange out = template.request("direct:in", e -> {
            e.getMessage().setBody(text);
            if (cacheHeader != null) {
                e.getMessage().setHeader(LlmConstants.CACHE, cacheHeader);
            }
            if (systemPrompt != null) {
                e.getMessage().setHeader(LlmConstants.SYSTEM_PROMPT, systemPrompt);
            }
            if (gatewayKey != null) {
                e.setProperty(LlmConstants.GATEWAY_KEY_PROPERTY, gatewayKey);
            }
        });
        assertThat(out.getException()).isNull();
        return out;
    }

    /** A whole chat.completion answering {@code text} (12 prompt and 3 completion tokens). */
    public static ScriptedHttpServer.Script answer(String text) {
        return ex -> ex.respond(200, "application/json", "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}");
    }

    /** A stream of one chunk per text, the finish chunk, a usage chunk (9 prompt tokens, one per text) and [DONE]. */
    public static ScriptedHttpServer.Script streamOf(String... texts) {
        return ex -> {
            ex.startStream(200);
            for (String t : texts) {
                ex.send(chunk("{\"content\":\"" + t + "\"}", null));
            }
            ex.send(chunk("{}", "\"stop\""));
            ex.send("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\",\"choices\":[],"
                    + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":" + texts.length + ",\"total_tokens\":"
                    + (9 + texts.length) + "}}\n\n");
            ex.send("data: [DONE]\n\n");
            ex.endStream();
        };
    }

    /** One chat.completion.chunk event of the fake with this delta (JSON) and finish_reason (JSON, or null). */
    public static String chunk(String delta, String finish) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                + "\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
    }

    /** The count of the counter {@code name} with these tags (name, value, …); 0 when it was never incremented. */
    public static double count(MeterRegistry meters, String name, String... tags) {
        Counter c = meters.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }
}
