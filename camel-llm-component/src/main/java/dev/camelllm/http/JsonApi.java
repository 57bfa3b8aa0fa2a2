package dev.camelllm.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.api.LlmException;
import dev.camelllm.spi.CallContext;
import dev.camelllm.spi.Json;

/**
 * The two exchanges of a provider whose API speaks JSON over HTTP: a whole answer read as one JSON object,
 * and the opening of a streamed answer. Every such provider needs the same care — the call's deadline and
 * cancel, an error status mapped by the provider's own rules, an error body read only so far (it may never
 * end), an answer that does not have the expected shape reported as a provider error rather than thrown as
 * whatever the reader hit — so it is written once here. One instance per provider; the provider keeps its
 * request writer, its answer reader and its error mapping.
 */
public final class JsonApi {

    /** Most bytes of an error body read: enough for any real error, bounded against one that never ends. */
    public static final int MAX_ERROR_BODY = 64 * 1024;

    /** The provider's mapping of an HTTP error status, its headers and (possibly null) body to a typed error. */
    @FunctionalInterface
    public interface ErrorMapper {
        LlmException fromHttp(int status, Map<String, String> headers, String body, String model);
    }

    private final HttpTransport http;
    private final String provider;
    private final String answerName;
    private final ErrorMapper errors;

    /**
     * @param answerName what an answer is called in errors, e.g. {@code Gemini} ("not a readable Gemini answer")
     */
    public JsonApi(HttpTransport http, String provider, String answerName, ErrorMapper errors) {
        this.http = http;
        this.provider = provider;
        this.answerName = answerName;
        this.errors = errors;
    }

    /**
     * POSTs {@code body} and reads the whole answer as a JSON object: each wait for bytes within the
     * timeouts' request time, the whole exchange within the smaller of it and the call's time left.
     */
    public JsonNode post(URI uri, Map<String, String> headers, byte[] body, Timeouts timeouts, CallContext call,
                         String model) {
        HttpResult result = http.postJson(uri, headers, body, timeouts.request(),
                Timeouts.within(timeouts.request(), call), call, provider, model);
        if (!result.ok()) {
            throw errors.fromHttp(result.status(), result.headers(), result.bodyText(), model);
        }
        JsonNode root;
        try {
            root = Json.parse(result.body());
        } catch (IOException e) {
            throw unreadable(model, e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw unreadable(model, "not a JSON object");
        }
        return root;
    }

    /**
     * Opens a streamed answer within the call (each wait for bytes within the stream read time, the cancel
     * registration ending with the response). An error status is read, bounded, and thrown mapped, with the
     * connection dropped; the caller owns the open response and aborts it if it cannot build its stream.
     */
    public OpenResponse open(URI uri, Map<String, String> headers, String body, Timeouts timeouts, CallContext call,
                             String model) {
        OpenResponse response = http.openJson(uri, headers, body, Timeouts.within(timeouts.streamRead(), call), call,
                provider, model);
        if (response.status() < 200 || response.status() >= 300) {
            throw errors.fromHttp(response.status(), response.headers(), readErrorBody(response), model);
        }
        return response;
    }

    /** Runs a reader of an answer; a typed error passes, anything else it throws means the answer is unreadable. */
    public <T> T read(String model, Supplier<T> reader) {
        try {
            return reader.get();
        } catch (LlmException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unreadable(model, e.getMessage());
        }
    }

    /** A 200 answer that is not what the API documents: a provider error, not retried as a network one. */
    public LlmApiException unreadable(String model, String why) {
        return LlmApiException.of(ErrorKind.PROVIDER, provider, model, 200, null, null,
                "the response is not a readable " + answerName + " answer: " + why);
    }

    /** Reads at most {@link #MAX_ERROR_BODY} bytes of an error body, then drops the connection (never drains it). */
    public static String readErrorBody(OpenResponse response) {
        try {
            InputStream in = response.body();
            return new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } finally {
            // not closing the body stream, which would drain it: an error body may never end
            response.abort();
        }
    }
}
