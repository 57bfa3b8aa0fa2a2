package dev.camelllm.provider.bedrock;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmNetworkException;
import dev.camelllm.api.LlmStreamException;
import dev.camelllm.api.LlmTimeoutException;
import dev.camelllm.http.HttpErrors;

/**
 * Turns what the SDK throws into typed errors: Bedrock's exceptions (an HTTP error, or an exception frame of
 * a stream, status 0) by their error code, client-side failures (connection, I/O) as network errors. Upstream
 * text is redacted and shortened; the SDK's own message (which names request ids, not secrets) is not used.
 */
final class BedrockErrors {

    private static final int MAX_MESSAGE = 500;

    private BedrockErrors() {
    }

    static LlmException translate(Throwable thrown, String model, BedrockAuth auth, boolean inStream) {
        Throwable e = unwrap(thrown);
        if (e instanceof LlmException l) {
            return l;
        }
        if (e instanceof AwsServiceException aws) {
            return fromService(aws, model, auth, inStream);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return new LlmTimeoutException(BedrockProvider.NAME, model, "no answer from Bedrock in time", null);
        }
        String message = auth.redact(rootMessage(e));
        if (e instanceof SdkClientException && message != null && message.toLowerCase(Locale.ROOT).contains("unable to load credentials")) {
            return new dev.camelllm.api.LlmConfigurationException(BedrockProvider.NAME, model, "no AWS credentials found: "
                    + "set accessKey/secretKey, apiKey (a Bedrock API key) or configure the default credentials chain "
                    + "(environment, ~/.aws, container or instance role)");
        }
        if (hasCause(e, java.util.concurrent.TimeoutException.class) || hasCauseNamed(e, "ReadTimeoutException")) {
            return new LlmTimeoutException(BedrockProvider.NAME, model, "read timed out: no data from Bedrock in time", null);
        }
        if (hasCause(e, javax.net.ssl.SSLException.class)) {
            return new LlmNetworkException(BedrockProvider.NAME, model, "TLS with Bedrock failed: " + shorten(message)
                    + " (for a certificate the JVM's trust store does not hold, set sslContextParameters, or the "
                    + "component's useGlobalSslContextParameters)", null);
        }
        if (inStream) {
            return new LlmStreamException(BedrockProvider.NAME, model, "the stream failed: " + shorten(message), null);
        }
        return new LlmNetworkException(BedrockProvider.NAME, model, "the call to Bedrock failed: " + shorten(message), null);
    }

    static LlmApiException fromService(AwsServiceException e, String model, BedrockAuth auth, boolean inStream) {
        AwsErrorDetails details = e.awsErrorDetails();
        String code = details == null ? null : details.errorCode();
        String message = details == null ? null : details.errorMessage();
        int status = inStream ? 0 : e.statusCode();
        ErrorKind kind = kindFor(code, status == 0 ? ErrorKind.PROVIDER : HttpErrors.kindFor(status), message);
        String text = shorten(auth.redact(message));
        if (text == null || text.isBlank()) {
            text = (inStream ? "exception in the stream" : "HTTP " + status) + " without a message";
        } else if (inStream) {
            text = "exception in the stream: " + text;
        }
        if (e.requestId() != null && !e.requestId().isBlank()) {
            text += " (request id " + e.requestId() + ")";
        }
        Duration retryAfter = details == null || details.sdkHttpResponse() == null ? null : retryAfter(details);
        return LlmApiException.of(kind, BedrockProvider.NAME, model, status, code, retryAfter, text);
    }

    /** The kind for Bedrock's error code (with or without its "Exception" suffix, any case). */
    static ErrorKind kindFor(String code, ErrorKind fallback, String message) {
        if (code == null) {
            return refine(fallback, message);
        }
        String c = code.toLowerCase(Locale.ROOT);
        return switch (c) {
            case "throttlingexception", "servicequotaexceededexception", "toomanyrequestsexception" -> ErrorKind.RATE_LIMIT;
            case "validationexception" -> refine(ErrorKind.INVALID_REQUEST, message);
            case "resourcenotfoundexception", "conflictexception" -> ErrorKind.INVALID_REQUEST;
            case "accessdeniedexception", "unrecognizedclientexception", "invalidsignatureexception",
                 "expiredtokenexception", "unauthorizedexception", "signaturedoesnotmatch",
                 "incompletesignatureexception", "missingauthenticationtokenexception" -> ErrorKind.AUTHENTICATION;
            case "modeltimeoutexception" -> ErrorKind.TIMEOUT;
            case "modelstreamerrorexception", "internalserverexception", "serviceunavailableexception",
                 "modelerrorexception", "modelnotreadyexception" -> ErrorKind.PROVIDER;
            default -> refine(fallback, message);
        };
    }

    private static ErrorKind refine(ErrorKind kind, String message) {
        if (kind == ErrorKind.INVALID_REQUEST && message != null
                && message.toLowerCase(Locale.ROOT).contains("input is too long")) {
            return ErrorKind.CONTEXT_WINDOW;
        }
        return HttpErrors.refineByMessage(kind, message);
    }

    private static Duration retryAfter(AwsErrorDetails details) {
        Map<String, String> headers = new HashMap<>();
        details.sdkHttpResponse().headers().forEach((k, v) -> {
            if (!v.isEmpty()) {
                headers.put(k.toLowerCase(Locale.ROOT), v.get(0));
            }
        });
        return HttpErrors.retryAfter(headers);
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        // the SDK wraps a service exception raised in a stream in a client exception at times
        if (t instanceof SdkClientException && t.getCause() instanceof AwsServiceException) {
            return t.getCause();
        }
        return t;
    }

    static boolean isCancellation(Throwable e) {
        return unwrap(e) instanceof CancellationException;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** Netty's timeout exceptions, by name: the provider does not reach into the SDK's HTTP client. */
    private static boolean hasCauseNamed(Throwable e, String simpleName) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getClass().getSimpleName().equals(simpleName)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        String own = e.getMessage();
        if (t == e || m == null) {
            return own == null ? e.getClass().getSimpleName() : own;
        }
        return (own == null ? e.getClass().getSimpleName() : own) + " (" + t.getClass().getSimpleName() + ": " + m + ")";
    }

    private static String shorten(String message) {
        if (message == null) {
            return null;
        }
        String m = message.strip();
        return m.length() <= MAX_MESSAGE ? m : m.substring(0, MAX_MESSAGE) + "…";
    }
}
