package dev.camelllm.api;

/**
 * A stream that ended without its final event, or that sent something that cannot be parsed. The answer
 * is incomplete and is never reported as complete.
 */
public class LlmStreamException extends LlmException {

    public LlmStreamException(String provider, String model, String message, Throwable cause) {
        super(ErrorKind.STREAM, provider, model, message, cause);
    }
}
