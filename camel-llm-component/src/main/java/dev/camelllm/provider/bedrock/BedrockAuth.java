package dev.camelllm.provider.bedrock;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.spi.Redactor;

/**
 * How calls are authenticated: a Bedrock API key (a bearer token), explicit AWS keys (SigV4), or the AWS
 * default credentials chain (SigV4). {@link #toString()} never shows a secret.
 */
record BedrockAuth(String bearerToken, String accessKey, String secretKey, String sessionToken) {

    static BedrockAuth of(String bearerToken, String accessKey, String secretKey, String sessionToken, String model) {
        if (bearerToken != null && (accessKey != null || secretKey != null)) {
            throw new LlmConfigurationException(BedrockProvider.NAME, model, "Set either apiKey (a Bedrock API key, or "
                    + "AWS_BEARER_TOKEN_BEDROCK) or accessKey/secretKey, not both");
        }
        if ((accessKey == null) != (secretKey == null)) {
            throw new LlmConfigurationException(BedrockProvider.NAME, model, "Option '" + (accessKey == null ? "accessKey"
                    : "secretKey") + "' is required with '" + (accessKey == null ? "secretKey" : "accessKey") + "'");
        }
        if (sessionToken != null && accessKey == null) {
            throw new LlmConfigurationException(BedrockProvider.NAME, model,
                    "Option 'sessionToken' is set but 'accessKey' and 'secretKey' are not");
        }
        return new BedrockAuth(bearerToken, accessKey, secretKey, sessionToken);
    }

    boolean bearer() {
        return bearerToken != null;
    }

    boolean explicitKeys() {
        return accessKey != null;
    }

    /** The way in, for health details and messages: never a secret. */
    String mode() {
        return bearer() ? "bedrock-api-key" : explicitKeys() ? "access-key" : "default-credentials-chain";
    }

    /** Removes every configured secret from upstream text. */
    String redact(String text) {
        String out = Redactor.redact(text, bearerToken);
        out = Redactor.redact(out, secretKey);
        out = Redactor.redact(out, sessionToken);
        return out;
    }

    @Override
    public String toString() {
        return "BedrockAuth[" + mode() + "]";
    }
}
