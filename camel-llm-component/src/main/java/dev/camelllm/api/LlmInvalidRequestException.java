package dev.camelllm.api;

/** The message body or headers cannot make a valid request; found before any network call. */
public class LlmInvalidRequestException extends LlmException {

    public LlmInvalidRequestException(String provider, String model, String message) {
        super(ErrorKind.INVALID_REQUEST, provider, model, message);
    }
}
