package dev.camelllm.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmTimeoutException;
import dev.camelllm.provider.anthropic.AnthropicProviderFactory;
import dev.camelllm.provider.openai.OpenAiCompatibleProviderFactory;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatProviderFactory;
import dev.camelllm.spi.ChatStream;
import dev.camelllm.spi.ProviderContext;
import dev.camelllm.spi.ProviderSettings;
import dev.camelllm.testsupport.ScriptedHttpServer;
import dev.camelllm.testsupport.TestCall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The cloud providers honour their CallContext over real sockets: a cancel aborts the request and frees
 * its pooled connection, and the call's time left bounds the call below the endpoint's timeout.
 */
@Timeout(30)
class CloudCallContextTest {

    private final HttpTransport http = new HttpTransport(HttpSettings.defaults());
    private final ScriptedHttpServer server = new ScriptedHttpServer();
    private final ChatRequest hello = ChatRequest.builder().user("Hi").build();

    CloudCallContextTest() throws Exception {
    }

    @AfterEach
    void close() throws Exception {
        http.close();
        server.close();
    }

    static Stream<ChatProviderFactory> factories() {
        return Stream.of(new OpenAiCompatibleProviderFactory(), new AnthropicProviderFactory());
    }

    private ChatProvider provider(ChatProviderFactory factory) {
        // a long endpoint timeout: only the call's own time or its cancel can end these calls in time
        ProviderSettings settings = ProviderSettings.of(Map.of("model", "m", "baseUrl", server.baseUrl(),
                "apiKey", "k-12345678", "anthropicVersion", "2023-06-01", "timeout", 60_000L), Map.of());
        return factory.create(settings, ProviderContext.of(null, name -> null, http));
    }

    @ParameterizedTest
    @MethodSource("factories")
    void aCancelMidFlightAbortsTheRequestAndFreesTheConnection(ChatProviderFactory factory) throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CompletableFuture<Boolean> clientClosed = new CompletableFuture<>();
        server.then(ex -> {
            arrived.countDown();
            clientClosed.complete(ex.awaitClientClose(10));
        });
        ChatProvider p = provider(factory);
        TestCall call = new TestCall(Duration.ofSeconds(60));

        CompletableFuture<Object> answer = CompletableFuture.supplyAsync(() -> p.chat(hello, call));
        assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(http.leasedConnections()).isEqualTo(1);
        call.cancel();

        assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(LlmException.class)
                .satisfies(e -> assertThat(((LlmException) e).kind()).isEqualTo(ErrorKind.CANCELLED));
        assertThat(clientClosed.get(10, TimeUnit.SECONDS)).as("the fake saw the socket closed").isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> http.leasedConnections() == 0);
        assertThat(call.registered()).isZero();
    }

    @ParameterizedTest
    @MethodSource("factories")
    void theTimeLeftBoundsTheCallBelowTheTimeout(ChatProviderFactory factory) throws Exception {
        server.then(ex -> ex.awaitClientClose(20));
        ChatProvider p = provider(factory);
        TestCall call = new TestCall(Duration.ofMillis(300));

        CompletableFuture<Object> answer = CompletableFuture.supplyAsync(() -> p.chat(hello, call));

        // the endpoint's 60 s would outlast this wait: only the call's 300 ms can end it
        assertThatThrownBy(() -> answer.get(15, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(LlmTimeoutException.class).hasMessageContaining("deadline ran out");
        await().atMost(Duration.ofSeconds(5)).until(() -> http.leasedConnections() == 0);
        assertThat(call.registered()).isZero();
    }

    @Test
    void aCallWithNoTimeLeftIsNotSent() {
        ChatProvider p = provider(new OpenAiCompatibleProviderFactory());
        assertThatThrownBy(() -> p.chat(hello, new TestCall(Duration.ZERO)))
                .isInstanceOf(LlmTimeoutException.class).hasMessageContaining("no time left");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void anAlreadyCancelledCallIsNotSent() {
        ChatProvider p = provider(new OpenAiCompatibleProviderFactory());
        TestCall call = new TestCall(Duration.ofSeconds(5));
        call.cancel();
        assertThatThrownBy(() -> p.chat(hello, call)).isInstanceOf(LlmException.class)
                .satisfies(e -> assertThat(((LlmException) e).kind()).isEqualTo(ErrorKind.CANCELLED));
        assertThat(server.requests()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("factories")
    void theTimeLeftBoundsTheWaitForAStreamsHeaders(ChatProviderFactory factory) throws Exception {
        server.then(ex -> ex.awaitClientClose(20));
        ChatProvider p = provider(factory);

        CompletableFuture<ChatStream> stream = CompletableFuture.supplyAsync(
                () -> p.stream(hello, new TestCall(Duration.ofMillis(300))));

        assertThatThrownBy(() -> stream.get(15, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(LlmTimeoutException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> http.leasedConnections() == 0);
    }

    @Test
    void aCancelAbortsAnOpenStreamAndItsRegistrationEndsWithTheStream() throws Exception {
        CompletableFuture<Boolean> clientClosed = new CompletableFuture<>();
        server.then(ex -> {
            ex.startStream(200);
            ex.send("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n");
            clientClosed.complete(ex.awaitClientClose(10));
        });
        ChatProvider p = provider(new OpenAiCompatibleProviderFactory());
        TestCall call = new TestCall(Duration.ofSeconds(60));

        ChatStream stream = p.stream(hello, call);
        assertThat(stream.hasNext()).isTrue();
        stream.next();
        assertThat(call.registered()).isEqualTo(1);
        call.cancel();

        assertThat(clientClosed.get(10, TimeUnit.SECONDS)).as("the fake saw the socket closed").isTrue();
        assertThatThrownBy(stream::hasNext).isInstanceOf(LlmException.class);
        stream.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> http.leasedConnections() == 0);

        // a stream that ends normally removes its cancel action
        server.then(ex -> {
            ex.startStream(200);
            ex.send("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}\n\n");
            ex.send("data: [DONE]\n\n");
            ex.endStream();
        });
        TestCall second = new TestCall(Duration.ofSeconds(60));
        try (ChatStream done = p.stream(hello, second)) {
            while (done.hasNext()) {
                done.next();
            }
        }
        assertThat(second.registered()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> http.leasedConnections() == 0);
    }
}
