package dev.camelllm.component;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The default resilience group of an endpoint: what one upstream account is. That is the provider, its
 * effective base URL (the provider's default when baseUrl is unset; for the local onnx provider the model
 * path or id) and a hash of the API key, e.g. {@code openai-compatible@http://127.0.0.1:11434/v1#3fa2…}.
 * The id shows up in metrics tags and messages, so it never holds a secret: the key, and any user info or
 * query of the URL, only go into the hash (SHA-256, first 8 bytes).
 */
final class GroupIds {

    private GroupIds() {
    }

    /** The group of an endpoint: its resilienceGroup option, else the default. Call after the provider was created. */
    static String of(LlmConfiguration c) {
        String explicit = c.getResilienceGroup();
        if (explicit != null && !explicit.isBlank()) {
            return explicit.trim();
        }
        String provider = c.getProvider().trim();
        if ("onnx".equals(provider)) {
            return provider + "@" + localModel(c);
        }
        String secret = blankToNull(c.getApiKey());
        String target = blankToNull(c.getBaseUrl());
        if (target == null) {
            target = defaultBaseUrl(provider);
        }
        StringBuilder id = new StringBuilder(provider);
        if (target != null) {
            Url url = Url.split(target);
            id.append('@').append(url.visible());
            if (url.hidden() != null) {
                secret = url.hidden() + "\n" + (secret == null ? "" : secret);
            }
        }
        if (secret != null) {
            id.append('#').append(hash(secret));
        }
        return id.toString();
    }

    /**
     * The built-in cloud providers' base URLs when the option is unset; null for any other provider. Copies
     * of the factories' DEFAULT_BASE_URL (a test keeps them equal), so that this package does not depend on
     * the provider packages, which depend on it.
     */
    static String defaultBaseUrl(String provider) {
        return switch (provider) {
            case "openai" -> "https://api.openai.com/v1";
            case "anthropic" -> "https://api.anthropic.com";
            default -> null;
        };
    }

    private static String localModel(LlmConfiguration c) {
        String path = blankToNull(c.getModelPath());
        if (path != null) {
            try {
                return Path.of(path).toAbsolutePath().normalize().toString();
            } catch (RuntimeException e) {
                return path;
            }
        }
        String id = blankToNull(c.getModelId());
        return id != null ? id : String.valueOf(blankToNull(c.getModel()));
    }

    static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** A base URL as scheme://host:port/path (no trailing slash), and what may be secret in it. */
    private record Url(String visible, String hidden) {

        static Url split(String raw) {
            String trimmed = raw;
            while (trimmed.endsWith("/")) {
                trimmed = trimmed.substring(0, trimmed.length() - 1);
            }
            try {
                URI u = URI.create(trimmed);
                if (u.getScheme() == null || u.getRawAuthority() == null) {
                    return new Url("?", trimmed);
                }
                String hidden = u.getRawUserInfo() == null && u.getRawQuery() == null && u.getRawFragment() == null
                        ? null : u.getRawUserInfo() + "?" + u.getRawQuery() + "#" + u.getRawFragment();
                if (u.getHost() == null) {
                    return new Url("?", trimmed);
                }
                String path = u.getRawPath() == null ? "" : u.getRawPath();
                String port = u.getPort() < 0 ? "" : ":" + u.getPort();
                return new Url(u.getScheme().toLowerCase() + "://" + u.getHost().toLowerCase() + port + path, hidden);
            } catch (IllegalArgumentException e) {
                // not a URL the provider would accept either; it fails there, and the text stays out of the id
                return new Url("?", trimmed);
            }
        }
    }
}
