package dev.camelllm.api;

/** The upstream could not be reached or dropped the connection. Retryable. */
public class LlmNetworkException extends LlmException {

    public LlmNetworkException(String provider, String model, String message, Throwable cause) {
        super(ErrorKind.NETWORK, provider, model, message, cause);
    }
}
