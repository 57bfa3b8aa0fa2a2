package dev.camelllm.provider.bedrock;

import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.http.NetworkSettings;
import dev.camelllm.http.Timeouts;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatProviderFactory;
import dev.camelllm.spi.EnvironmentDefaults;
import dev.camelllm.spi.ProviderContext;
import dev.camelllm.spi.ProviderSettings;

/**
 * Creates the {@code bedrock} provider: Amazon Bedrock's Converse and ConverseStream APIs through the AWS SDK.
 * Options left unset come from BEDROCK_MODEL, BEDROCK_MAX_TOKENS, BEDROCK_TEMPERATURE, AWS_REGION (then
 * AWS_DEFAULT_REGION), AWS_ENDPOINT_URL_BEDROCK_RUNTIME (the endpoint) and, for a Bedrock API key,
 * AWS_BEARER_TOKEN_BEDROCK.
 */
public final class BedrockProviderFactory implements ChatProviderFactory {

    private static final Logger LOG = LoggerFactory.getLogger(BedrockProviderFactory.class);
    /** The SDK's SigV4 signer, which logs each canonical request (session token included) at DEBUG. */
    static final Logger SIGNER_LOG = LoggerFactory.getLogger("software.amazon.awssdk.http.auth.aws.internal.signer.DefaultV4RequestSigner");

    @Override
    public String name() {
        return BedrockProvider.NAME;
    }

    @Override
    public ChatProvider create(ProviderSettings options, ProviderContext context) {
        ProviderSettings config = EnvironmentDefaults.apply("BEDROCK", options, context);
        String model = config.model();
        if (model == null) {
            throw new LlmConfigurationException(BedrockProvider.NAME, null, "Option 'model' is required: set model (a "
                    + "Bedrock model or inference profile id, e.g. us.anthropic.claude-sonnet-4-5-20250929-v1:0) or the "
                    + "BEDROCK_MODEL environment variable");
        }
        String region = config.string("region");
        if (region == null) {
            region = context.env("AWS_REGION") != null ? context.env("AWS_REGION") : context.env("AWS_DEFAULT_REGION");
        }
        if (region == null) {
            throw new LlmConfigurationException(BedrockProvider.NAME, model,
                    "Option 'region' is required: set region (e.g. us-east-1) or the AWS_REGION environment variable");
        }
        if (!region.matches("[a-z0-9-]+")) {
            throw new LlmConfigurationException(BedrockProvider.NAME, model,
                    "Invalid value '" + region + "' of option 'region': an AWS region name such as us-east-1");
        }
        // the AWS SDKs' own variable for a service's endpoint (a VPC endpoint, a fake)
        String baseUrl = config.baseUrl() != null ? config.baseUrl() : context.env("AWS_ENDPOINT_URL_BEDROCK_RUNTIME");
        URI endpoint = baseUrl == null ? null : endpoint(baseUrl, model);
        String bearer = options.apiKey() != null ? options.apiKey() : context.env("AWS_BEARER_TOKEN_BEDROCK");
        BedrockAuth auth = BedrockAuth.of(bearer, config.string("accessKey"), config.string("secretKey"),
                config.string("sessionToken"), model);
        int maxTokens = config.maxTokens() != null ? config.maxTokens() : 0;
        int budget = config.thinkingBudget() != null ? config.thinkingBudget() : 0;
        String problem = BedrockRequestWriter.thinkingProblem(budget, maxTokens);
        if (problem != null) {
            throw new LlmConfigurationException(BedrockProvider.NAME, model,
                    "Invalid value '" + budget + "' of option 'thinkingBudget': " + problem);
        }
        String extraFields = config.extra("additionalModelRequestFields");
        BedrockRequestWriter writer = new BedrockRequestWriter(model, config.maxTokens(), config.thinkingBudget(),
                config.temperature(), BedrockRequestWriter.parseExtraFields(extraFields, model));
        if (auth.sessionToken() != null && SIGNER_LOG.isDebugEnabled()) {
            // the SDK's SigV4 signer logs the canonical request, with the x-amz-security-token header, at DEBUG
            LOG.warn("The logger {} is at DEBUG: the AWS SDK writes the session token of endpoint llm:{} into that log with "
                    + "every request it signs. Set it to INFO or above.", SIGNER_LOG.getName(), model);
        }
        Timeouts timeouts = Timeouts.of(config);
        int maxConnections = config.integer("maxInFlight", 1000);
        int embedBatch = BedrockEmbeddings.bounded(config, "batchSize", BedrockEmbeddings.DEFAULT_BATCH, BedrockEmbeddings.MAX_BATCH);
        int embedConcurrency = BedrockEmbeddings.bounded(config, "embedConcurrency", BedrockEmbeddings.DEFAULT_CONCURRENCY,
                BedrockEmbeddings.MAX_CONCURRENCY);
        return new BedrockProvider(BedrockClients.create(region, endpoint, auth, timeouts, maxConnections,
                context.service(NetworkSettings.class)), writer,
                model, region, auth, timeouts, embedBatch, embedConcurrency);
    }

    /** The endpoint override (baseUrl): an http(s) URL with a host, e.g. a VPC endpoint. */
    static URI endpoint(String baseUrl, String model) {
        try {
            URI uri = URI.create(baseUrl.trim());
            if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw new IllegalArgumentException("no http(s) host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new LlmConfigurationException(BedrockProvider.NAME, model,
                    "Invalid value '" + baseUrl + "' of option 'baseUrl': not an http(s) URL with a host");
        }
    }
}
