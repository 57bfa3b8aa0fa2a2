package dev.camelllm.api;

/** Bad or missing configuration (unknown provider, missing key or model, an invalid value). */
public class LlmConfigurationException extends LlmException {

    public LlmConfigurationException(String provider, String model, String message) {
        super(ErrorKind.CONFIGURATION, provider, model, message);
    }

    public LlmConfigurationException(String message) {
        super(ErrorKind.CONFIGURATION, null, null, message);
    }

    public LlmConfigurationException(String message, Throwable cause) {
        super(ErrorKind.CONFIGURATION, null, null, message, cause);
    }
}
