package dev.camelllm.gateway;

import dev.camelllm.gateway.format.ErrorType;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.GatewayException;
import dev.camelllm.state.MemoryStateStore;
import dev.camelllm.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway keys the operator issued. Only SHA-256 digests of the secrets are kept, and a presented key
 * is compared with each in constant time, so neither memory dumps nor timing tell a secret.
 */
final class KeyRing {

    private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);
    private static final MessageDigest SHA256 = newSha256();

    private record Entry(byte[] digest, VirtualKey key) {
    }

    private final List<Entry> entries = new ArrayList<>();

    /** Keys whose limits and budgets live in this process's memory. */
    KeyRing(Map<String, GatewayConfiguration.KeySettings> keys) {
        this(keys, new MemoryStateStore(), Clock.systemUTC());
    }

    private KeyRing(Map<String, GatewayConfiguration.KeySettings> keys, StateStore store, Clock clock) {
        this(keys, () -> store, clock);
    }

    /** Keys whose limits and budgets live in the store (the component's: shared when it is Redis). */
    KeyRing(Map<String, GatewayConfiguration.KeySettings> keys, Supplier<StateStore> store, Clock clock) {
        keys.forEach((name, settings) -> {
            if (settings.getKey() == null || settings.getKey().isBlank()) {
                // e.g. {{env:LLM_GATEWAY_KEY:}} with the variable unset: that key is off, the app still starts
                LOG.warn("Gateway key '{}' has no secret ({}keys.{}.key is empty): it is off", name,
                        GatewayConfiguration.PREFIX, name);
                return;
            }
            entries.add(new Entry(digest(settings.getKey()), new VirtualKey(name, settings, store, clock)));
        });
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * The key of a request, from {@code Authorization: Bearer …} or {@code x-api-key}.
     *
     * @throws GatewayException 401 when none is given or it is not one of ours (the message never echoes it)
     */
    VirtualKey authenticate(String authorization, String apiKeyHeader) {
        String presented = apiKeyHeader;
        if ((presented == null || presented.isBlank()) && authorization != null
                && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        }
        if (presented == null || presented.isBlank()) {
            throw unauthorized("No gateway key: send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'");
        }
        if (entries.isEmpty()) {
            throw unauthorized("This gateway has no keys configured: the operator sets "
                    + GatewayConfiguration.PREFIX + "keys.NAME.key");
        }
        byte[] digest = digest(presented);
        VirtualKey found = null;
        for (Entry e : entries) {
            // no early exit: the time taken does not depend on which key matched
            if (MessageDigest.isEqual(e.digest, digest)) {
                found = e.key;
            }
        }
        if (found == null) {
            throw unauthorized("Invalid gateway key");
        }
        return found;
    }

    private static GatewayException unauthorized(String message) {
        return new GatewayException(new GatewayError(401, ErrorType.AUTHENTICATION, message, null, "invalid_api_key"));
    }

    private static byte[] digest(String secret) {
        return sha256().digest(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh SHA-256 digest: a clone of one looked up once, cheaper than a provider look-up per request. */
    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
