package dev.camelllm.provider.bedrock;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.token.credentials.SdkToken;
import software.amazon.awssdk.auth.token.credentials.StaticTokenProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.ProtocolNegotiation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.ProxyConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClientBuilder;
import software.amazon.awssdk.services.bedrockruntime.auth.scheme.BedrockRuntimeAuthSchemeProvider;

import dev.camelllm.http.NetworkSettings;
import dev.camelllm.http.ProxyServer;
import dev.camelllm.http.Timeouts;

/**
 * Builds the one Bedrock Runtime async client of a provider instance (closed with it): Netty underneath, the
 * SDK's own retries off (the component's resilience layer retries), auth, proxy and TLS as configured. The async client
 * serves both Converse and ConverseStream, so there is one connection pool and one set of SDK threads.
 */
final class BedrockClients {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private BedrockClients() {
    }

    static BedrockRuntimeAsyncClient create(String region, URI endpoint, BedrockAuth auth, Timeouts timeouts,
                                            int maxConnections, NetworkSettings network) {
        // Netty's read timeout would cut a quiet stream or a long generation: the provider bounds each wait itself
        // (the call's time left, streamIdleTimeout), so Netty's is only a backstop above both
        Duration longest = timeouts.request().compareTo(timeouts.streamRead()) > 0 ? timeouts.request() : timeouts.streamRead();
        NettyNioAsyncHttpClient.Builder http = NettyNioAsyncHttpClient.builder()
                .protocol(Protocol.HTTP1_1)
                // Bedrock Runtime's service defaults ask for ALPN, which the Netty client supports only with h2:
                // with HTTP/1.1 every TLS connection failed before its first byte ("connection closed")
                .protocolNegotiation(ProtocolNegotiation.ASSUME_PROTOCOL)
                .maxConcurrency(Math.max(1, maxConnections))
                .connectionTimeout(CONNECT_TIMEOUT)
                .connectionAcquisitionTimeout(CONNECT_TIMEOUT)
                .readTimeout(longest.plusSeconds(1))
                .writeTimeout(longest.plusSeconds(1));
        withNetwork(http, network, endpoint != null ? endpoint : URI.create("https://bedrock-runtime." + region + ".amazonaws.com"));
        BedrockRuntimeAsyncClientBuilder builder = BedrockRuntimeAsyncClient.builder()
                .region(Region.of(region))
                .httpClientBuilder(http)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (auth.bearer()) {
            String token = auth.bearerToken();
            builder.tokenProvider(StaticTokenProvider.create(new BearerToken(token)))
                    .authSchemeProvider(BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of("httpBearerAuth")));
        } else {
            // SigV4 even when AWS_BEARER_TOKEN_BEDROCK is in the process environment: what is configured decides
            builder.authSchemeProvider(BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of("aws.auth#sigv4")));
            if (auth.explicitKeys()) {
                builder.credentialsProvider(StaticCredentialsProvider.create(auth.sessionToken() != null
                        ? AwsSessionCredentials.create(auth.accessKey(), auth.secretKey(), auth.sessionToken())
                        : AwsBasicCredentials.create(auth.accessKey(), auth.secretKey())));
            }
            // else the SDK's default chain (environment, profile, container, instance): the client owns and closes it
        }
        return builder.build();
    }

    /**
     * The endpoint's proxy and TLS options, as the component's own HTTP client applies them: the proxy its rules
     * choose for the one host this client calls (they already read the JVM's properties and HTTPS_PROXY /
     * NO_PROXY, so the SDK reads neither again), and the trust and key managers of sslContextParameters.
     */
    private static void withNetwork(NettyNioAsyncHttpClient.Builder http, NetworkSettings network, URI target) {
        ProxyServer proxy = network.proxy().select(target.getScheme(), target.getHost());
        ProxyConfiguration.Builder proxying = ProxyConfiguration.builder()
                .useSystemPropertyValues(false)
                .useEnvironmentVariableValues(false);
        if (proxy != null) {
            proxying.scheme("http").host(proxy.host()).port(proxy.port());
            if (proxy.hasCredentials()) {
                proxying.username(proxy.user()).password(proxy.password() == null ? "" : proxy.password());
            }
        }
        http.proxyConfiguration(proxying.build());
        TrustManager[] trust = network.trustManagers();
        if (trust != null) {
            http.tlsTrustManagersProvider(() -> trust);
        }
        KeyManager[] keys = network.keyManagers();
        if (keys != null) {
            http.tlsKeyManagersProvider(() -> keys);
        }
    }

    /** A Bedrock API key as the SDK's token; never printed. */
    private record BearerToken(String token) implements SdkToken {
        @Override
        public String toString() {
            return "BearerToken[REDACTED]";
        }
    }
}
