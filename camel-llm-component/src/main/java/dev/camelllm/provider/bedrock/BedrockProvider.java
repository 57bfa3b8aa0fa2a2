package dev.camelllm.provider.bedrock;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.EmbeddingRequest;
import dev.camelllm.api.EmbeddingResponse;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmTimeoutException;
import dev.camelllm.http.Timeouts;
import dev.camelllm.spi.CallContext;
import dev.camelllm.spi.CancellableStream;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatStream;
import dev.camelllm.spi.EmbeddingProvider;
import dev.camelllm.spi.ProviderHealth;

/**
 * Amazon Bedrock's Converse ({@code POST /model/{id}/converse}) and ConverseStream
 * ({@code /converse-stream}, binary event-stream frames) through the AWS SDK's async client, which signs
 * (SigV4) or sends the Bedrock API key. The calling thread (a virtual thread, or a bounded pool thread) waits
 * on the SDK's future within the call's time; a cancel cancels that future, which closes the connection.
 * Embeds with Amazon Titan Text Embeddings through InvokeModel ({@link BedrockEmbeddings}).
 */
final class BedrockProvider implements ChatProvider, EmbeddingProvider {

    static final String NAME = "bedrock";

    private final BedrockRuntimeAsyncClient client;
    private final BedrockRequestWriter writer;
    private final String model;
    private final String region;
    private final BedrockAuth auth;
    private final Timeouts timeouts;
    private final BedrockEmbeddings embeddings;
    private final int embeddingBatch;

    BedrockProvider(BedrockRuntimeAsyncClient client, BedrockRequestWriter writer, String model, String region,
                    BedrockAuth auth, Timeouts timeouts, int embeddingBatch, int embeddingConcurrency) {
        this.client = client;
        this.writer = writer;
        this.model = model;
        this.region = region;
        this.auth = auth;
        this.timeouts = timeouts;
        this.embeddings = new BedrockEmbeddings(client, auth, timeouts, embeddingConcurrency);
        this.embeddingBatch = embeddingBatch;
    }

    @Override
    public EmbeddingResponse embed(EmbeddingRequest request, CallContext call) {
        String m = request.model() != null && !request.model().isBlank() ? request.model() : model;
        return embeddings.embed(request, m, call);
    }

    @Override
    public int maxBatchSize() {
        return embeddingBatch;
    }

    /** Titan Text Embeddings v2 gives 256, 512 or 1024 dimensions on request. */
    @Override
    public boolean supportsDimensions() {
        return true;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public Duration timeout() {
        return timeouts.request();
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallContext call) {
        String m = writer.modelOf(request);
        var converse = writer.converse(request);
        String answerTool = writer.answerTool(request);
        Duration wait = Timeouts.within(timeouts.request(), call);
        if (call.isCancelled()) {
            throw cancelled(m);
        }
        noTimeLeft(wait, m);
        long start = System.nanoTime();
        CompletableFuture<ConverseResponse> future = client.converse(converse);
        try (CallContext.Registration registration = call.onCancel(() -> future.cancel(true))) {
            ConverseResponse response = future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return BedrockResponseReader.read(response, m, answerTool).withTimings(-1, (System.nanoTime() - start) / 1_000_000);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new LlmTimeoutException(NAME, m, "the deadline ran out: no complete answer within " + wait.toMillis() + " ms", null);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw cancelled(m);
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            if (call.isCancelled() || BedrockErrors.isCancellation(e)) {
                throw cancelled(m);
            }
            throw BedrockErrors.translate(e, m, auth, false);
        }
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext call) {
        String m = writer.modelOf(request);
        var converse = writer.converseStream(request);
        Duration wait = Timeouts.within(timeouts.streamRead(), call);
        if (call.isCancelled()) {
            throw cancelled(m);
        }
        noTimeLeft(wait, m);
        BedrockChatStream stream = new BedrockChatStream(m, auth, timeouts.streamRead(), writer.answerTool(request));
        // the cancel closes the stream (and with it the call) from now on, also while the headers are awaited
        ChatStream cancellable = CancellableStream.of(stream, call);
        try {
            stream.started(client.converseStream(converse, stream));
            stream.awaitResponse(wait);
            return cancellable;
        } catch (RuntimeException e) {
            cancellable.close();
            if (call.isCancelled()) {
                throw cancelled(m);
            }
            throw e;
        }
    }

    /**
     * Bedrock Runtime has no free call to probe (listing models is the separate control-plane API), so the
     * probe checks what can be checked without spending tokens: that credentials resolve (an explicit key,
     * a Bedrock API key, or the default chain finding some). It does not reach Bedrock itself.
     */
    @Override
    public ProviderHealth probe(Duration timeout) {
        Map<String, Object> details = Map.of("region", region, "model", model, "auth", auth.mode());
        if (auth.bearer() || auth.explicitKeys()) {
            return ProviderHealth.up("credentials configured (" + auth.mode() + "); Bedrock itself is not probed", details);
        }
        try (var chain = software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.builder().build()) {
            chain.resolveIdentity().get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            return ProviderHealth.up("the default credentials chain found credentials; Bedrock itself is not probed", details);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProviderHealth.down("interrupted while resolving AWS credentials", details);
        } catch (Exception e) {
            return ProviderHealth.down("no AWS credentials found by the default chain", details);
        }
    }

    /** Bedrock's inputTokens leave the cache reads out, as Anthropic's do. */
    @Override
    public boolean usageCountsCacheReadsInInput() {
        return false;
    }

    @Override
    public void close() {
        // the client's Netty event loops, connection pool and SDK threads end here
        client.close();
    }

    private static void noTimeLeft(Duration wait, String m) {
        if (wait.isZero() || wait.isNegative()) {
            throw new LlmTimeoutException(NAME, m, "the deadline ran out: no time left for the call", null);
        }
    }

    private static LlmException cancelled(String m) {
        return new LlmException(ErrorKind.CANCELLED, NAME, m, "the call was cancelled; its request was aborted");
    }
}
