package dev.camelllm.provider.bedrock;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;

import dev.camelllm.api.EmbeddingRequest;
import dev.camelllm.api.EmbeddingResponse;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.api.LlmTimeoutException;
import dev.camelllm.api.Usage;
import dev.camelllm.http.Timeouts;
import dev.camelllm.spi.CallContext;
import dev.camelllm.spi.Json;
import dev.camelllm.spi.ProviderSettings;

/**
 * Amazon Titan Text Embeddings through InvokeModel ({@code POST /model/{id}/invoke}): the model takes one text
 * a call ({@code {"inputText", "dimensions", "normalize": true}} for v2, {@code {"inputText"}} for v1), so a
 * batch is sent as one call per text, at most {@code concurrency} at a time, all within the call's one
 * deadline. A failure, a timeout or a cancel cancels the calls still running; the vectors come back in order.
 */
final class BedrockEmbeddings {

    static final int DEFAULT_BATCH = 16;
    static final int MAX_BATCH = 1000;
    static final int DEFAULT_CONCURRENCY = 4;
    static final int MAX_CONCURRENCY = 64;

    private final BedrockRuntimeAsyncClient client;
    private final BedrockAuth auth;
    private final Timeouts timeouts;
    private final int concurrency;

    BedrockEmbeddings(BedrockRuntimeAsyncClient client, BedrockAuth auth, Timeouts timeouts, int concurrency) {
        this.client = client;
        this.auth = auth;
        this.timeouts = timeouts;
        this.concurrency = concurrency;
    }

    static boolean titan(String model) {
        return model.contains("amazon.titan-embed-text-");
    }

    EmbeddingResponse embed(EmbeddingRequest request, String model, CallContext call) {
        if (!titan(model)) {
            throw new LlmInvalidRequestException(BedrockProvider.NAME, model, "Bedrock embeddings take Amazon Titan Text "
                    + "Embeddings (amazon.titan-embed-text-v2:0, or v1, or an inference profile of them); '" + model
                    + "' is not one");
        }
        boolean v1 = model.contains("titan-embed-text-v1");
        if (v1 && request.dimensions() != null) {
            throw new LlmInvalidRequestException(BedrockProvider.NAME, model, "Titan Text Embeddings v1 gives 1536 "
                    + "dimensions and cannot shorten them: use amazon.titan-embed-text-v2:0 (256, 512 or 1024)");
        }
        Duration wait = Timeouts.within(timeouts.request(), call);
        if (wait.isZero() || wait.isNegative()) {
            throw new LlmTimeoutException(BedrockProvider.NAME, model, "the deadline ran out: no time left for the call", null);
        }
        long deadline = System.nanoTime() + wait.toNanos();
        long start = System.nanoTime();
        List<CompletableFuture<InvokeModelResponse>> calls = new CopyOnWriteArrayList<>();
        Semaphore permits = new Semaphore(concurrency);
        try (CallContext.Registration registration = call.onCancel(() -> calls.forEach(f -> f.cancel(true)))) {
            for (String text : request.inputs()) {
                if (!permits.tryAcquire(left(deadline), TimeUnit.NANOSECONDS)) {
                    throw timedOut(model, wait);
                }
                if (call.isCancelled()) {
                    throw cancelled(model);
                }
                if (calls.stream().anyMatch(CompletableFuture::isCompletedExceptionally)) {
                    permits.release();
                    break; // the failure is reported below, in order
                }
                CompletableFuture<InvokeModelResponse> f = client.invokeModel(invoke(model, text, request.dimensions(), v1));
                f.whenComplete((r, t) -> permits.release());
                calls.add(f);
            }
            List<float[]> vectors = new ArrayList<>(request.inputs().size());
            long tokens = 0;
            for (CompletableFuture<InvokeModelResponse> f : calls) {
                InvokeModelResponse response = f.get(left(deadline), TimeUnit.NANOSECONDS);
                JsonNode root = parse(response, model, vectors.size());
                float[] v = vector(root, model, vectors.size());
                if (!vectors.isEmpty() && vectors.get(0).length != v.length) {
                    throw unreadable(model, "embeddings have different lengths (" + vectors.get(0).length + " and "
                            + v.length + ")");
                }
                vectors.add(v);
                tokens += root.path("inputTextTokenCount").asLong(0);
            }
            return new EmbeddingResponse(vectors, vectors.get(0).length, BedrockProvider.NAME, model, new Usage(tokens, 0),
                    (System.nanoTime() - start) / 1_000_000);
        } catch (TimeoutException e) {
            throw timedOut(model, wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cancelled(model);
        } catch (ExecutionException | CancellationException e) {
            if (call.isCancelled() || BedrockErrors.isCancellation(e)) {
                throw cancelled(model);
            }
            throw BedrockErrors.translate(e, model, auth, false);
        } finally {
            // nothing keeps running past the answer or the error
            calls.forEach(f -> f.cancel(true));
        }
    }

    private static long left(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static InvokeModelRequest invoke(String model, String text, Integer dimensions, boolean v1) {
        ObjectNode body = Json.object();
        body.put("inputText", text);
        if (!v1) {
            if (dimensions != null) {
                body.put("dimensions", dimensions);
            }
            body.put("normalize", true);
        }
        return InvokeModelRequest.builder().modelId(model).contentType("application/json").accept("application/json")
                .body(SdkBytes.fromByteArray(Json.writeBytes(body))).build();
    }

    private static JsonNode parse(InvokeModelResponse response, String model, int index) {
        try {
            JsonNode root = Json.parse(response.body().asByteArray());
            if (root != null && root.isObject()) {
                return root;
            }
        } catch (IOException e) {
            // reported below
        }
        throw unreadable(model, "the answer to input " + index + " is not a JSON object");
    }

    private static float[] vector(JsonNode root, String model, int index) {
        JsonNode values = root.path("embedding");
        if (!values.isArray() || values.isEmpty()) {
            throw unreadable(model, "the answer to input " + index + " has no embedding array");
        }
        float[] v = new float[values.size()];
        for (int d = 0; d < v.length; d++) {
            JsonNode n = values.get(d);
            if (!n.isNumber() || !Float.isFinite(n.floatValue())) {
                throw unreadable(model, "embedding " + index + " has a value that is not a finite number at " + d);
            }
            v[d] = n.floatValue();
        }
        return v;
    }

    private static LlmApiException unreadable(String model, String why) {
        return LlmApiException.of(ErrorKind.PROVIDER, BedrockProvider.NAME, model, 200, null, null,
                "the response is not a readable Titan embeddings answer: " + why);
    }

    private static LlmTimeoutException timedOut(String model, Duration wait) {
        return new LlmTimeoutException(BedrockProvider.NAME, model, "the deadline ran out: the embeddings were not "
                + "complete within " + wait.toMillis() + " ms", null);
    }

    private static LlmException cancelled(String model) {
        return new LlmException(ErrorKind.CANCELLED, BedrockProvider.NAME, model, "the call was cancelled; its requests were aborted");
    }

    /** provider.{name}: an integer from 1 to max, or the default when unset. */
    static int bounded(ProviderSettings settings, String name, int defaultValue, int max) {
        String v = settings.extra(name);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new LlmConfigurationException(BedrockProvider.NAME, settings.model(), "option 'provider." + name
                + "' must be 1 to " + max + ", was '" + v + "'");
    }
}
