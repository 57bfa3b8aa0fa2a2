package dev.camelllm.provider.bedrock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.http.NetworkSettings;
import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.component.ProviderSettingsBuilder;
import dev.camelllm.spi.CallContext;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatStream;
import dev.camelllm.spi.ProviderContext;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static dev.camelllm.provider.bedrock.BedrockWire.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the provider holds: a bounded window of stream events, and threads that end with close(). */
@Timeout(60)
class BedrockLifecycleTest {

    private static ChatProvider provider(ScriptedHttpServer fake) {
        LlmConfiguration c = new LlmConfiguration();
        c.setProvider("bedrock");
        c.setModel(MODEL);
        c.setRegion(REGION);
        c.setAccessKey(ACCESS_KEY);
        c.setSecretKey(SECRET_KEY);
        c.setBaseUrl(fake.baseUrl());
        return new BedrockProviderFactory().create(ProviderSettingsBuilder.of(c), ProviderContext.of(null, n -> null, NetworkSettings.direct()));
    }

    private static ChatRequest hello() {
        return ChatRequest.builder().messages(List.of(ChatMessage.user("Hi"))).build();
    }

    private static Set<String> sdkThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("aws-java-sdk") || n.startsWith("sdk-") || n.contains("NettyEventLoop"))
                .collect(Collectors.toSet());
    }

    @Test
    void aReaderThatDoesNotReadHoldsAtMostTheWindow() throws Exception {
        int deltas = 400;
        try (ScriptedHttpServer fake = new ScriptedHttpServer(); ChatProvider p = provider(fake)) {
            List<byte[]> frames = new ArrayList<>();
            frames.add(messageStart());
            for (int i = 0; i < deltas; i++) {
                frames.add(textDelta(0, "t" + i + " "));
            }
            frames.add(blockStop(0));
            frames.add(messageStop("end_turn"));
            frames.add(metadata(5, deltas, 0, 0));
            fake.then(stream(concat(frames.toArray(new byte[0][]))));

            ChatStream outer = p.stream(hello(), CallContext.of(Duration.ofSeconds(30)));
            BedrockChatStream inner = unwrap(outer);
            assertThat(outer.next()).isEqualTo(new ChatChunk.TextDelta("t0 "));

            // the whole answer is on the wire at once; the stream takes no more than it was asked for
            await().atMost(Duration.ofSeconds(10)).until(() -> inner.buffered() == BedrockChatStream.WINDOW);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                    .until(() -> inner.buffered() <= BedrockChatStream.WINDOW);

            StringBuilder text = new StringBuilder("t0 ");
            try (outer) {
                while (outer.hasNext()) {
                    if (outer.next() instanceof ChatChunk.TextDelta t) {
                        text.append(t.text());
                    }
                }
            }
            assertThat(text.toString().split(" ")).hasSize(deltas);
        }
    }

    @Test
    void closeEndsTheSdkThreads() throws Exception {
        Set<String> before = sdkThreads();
        try (ScriptedHttpServer fake = new ScriptedHttpServer()) {
            fake.then(json(converseText("ok", "end_turn", 1, 1)), stream(helloStream()));
            ChatProvider p = provider(fake);
            p.chat(hello());
            try (ChatStream s = p.stream(hello(), CallContext.of(Duration.ofSeconds(10)))) {
                s.forEachRemaining(c -> { });
            }
            assertThat(sdkThreads()).as("the client's threads while it is open").isNotEmpty();

            p.close();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(sdkThreads()).isSubsetOf(before));
        }
    }

    /** The provider hands out its stream wrapped for cancellation; the test looks at the bridge inside. */
    private static BedrockChatStream unwrap(ChatStream s) throws Exception {
        var f = s.getClass().getDeclaredField("stream");
        f.setAccessible(true);
        return (BedrockChatStream) f.get(s);
    }
}
