package dev.camelllm.api;

/** No answer, first token or next chunk within the configured time. */
public class LlmTimeoutException extends LlmException {

    public LlmTimeoutException(String provider, String model, String message, Throwable cause) {
        super(ErrorKind.TIMEOUT, provider, model, message, cause);
    }
}
