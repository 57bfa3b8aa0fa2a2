package dev.camelllm.provider.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.hc.client5.http.ConnectTimeoutException;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.api.LlmNetworkException;
import dev.camelllm.http.HttpTransport;
import dev.camelllm.http.OpenResponse;
import dev.camelllm.http.ProxyServer;

/**
 * Downloads single files of a Hugging Face model repository, {@code {hub}/{repo}/resolve/main/{file}},
 * into the Hugging Face cache layout, so that a model fetched by Python tools is found here and the
 * other way round:
 *
 * <pre>
 * {cacheDir}/models--{owner}--{name}/refs/main                 the commit of "main"
 * {cacheDir}/models--{owner}--{name}/blobs/{etag}              file contents
 * {cacheDir}/models--{owner}--{name}/snapshots/{commit}/{file} link to the blob (a copy where links fail)
 * {cacheDir}/models--{owner}--{name}/.no_exist/{commit}/{file} a file the repository does not have
 * </pre>
 *
 * A file already in the snapshot of refs/main is used without any request. A download goes to a
 * {@code .part} file first; an interrupted one resumes with a {@code Range} request. Large (LFS) files,
 * whose ETag is their SHA-256, are checked against it.
 *
 * <p>It goes through the endpoint's {@link HttpTransport}, so that a download takes the same proxy and TLS
 * settings as every other outbound call; it follows the hub's redirects (to its CDN host) itself, keeping
 * the headers the hub sets on them.
 */
final class HubDownloader {

    private static final Logger LOG = LoggerFactory.getLogger(HubDownloader.class);
    private static final String REVISION = "main";
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final java.util.concurrent.ConcurrentHashMap<Path, Object> LOCKS = new java.util.concurrent.ConcurrentHashMap<>();

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final URI hub;
    private final Path cacheRoot;
    private final String displayName;
    private final HttpTransport http;

    HubDownloader(URI hub, Path cacheRoot, String displayName, HttpTransport http) {
        this.hub = hub;
        this.cacheRoot = cacheRoot;
        this.displayName = displayName;
        this.http = http;
    }

    /**
     * The final response of a request, and the headers of it and of each redirect before it, the final
     * one's first (the hub sets X-Repo-Commit and the ETag on its redirect to the CDN).
     */
    private record Fetched(OpenResponse response, List<Map<String, String>> headers) {

        int status() {
            return response.status();
        }

        InputStream body() throws IOException {
            return response.body();
        }

        /** Frees the connection without reading the body. */
        void discard() {
            response.abort();
        }
    }

    /** The repository's directory in the cache. */
    Path repoDir(String repo) {
        return cacheRoot.resolve("models--" + repo.replace("/", "--"));
    }

    /** The snapshot directory of refs/main, or null when nothing was downloaded yet. */
    Path snapshot(String repo) {
        String commit = commit(repo);
        return commit == null ? null : repoDir(repo).resolve("snapshots").resolve(commit);
    }

    /**
     * The file in the cache, downloaded if needed.
     *
     * @return null when the repository has no such file and it is optional
     */
    Path file(String repo, String path, boolean required) {
        // one download of a file at a time in this JVM: two endpoints starting together share it
        synchronized (LOCKS.computeIfAbsent(repoDir(repo).resolve(path).toAbsolutePath(), p -> new Object())) {
            return fileLocked(repo, path, required);
        }
    }

    private Path fileLocked(String repo, String path, boolean required) {
        String commit = commit(repo);
        if (commit != null) {
            Path cached = repoDir(repo).resolve("snapshots").resolve(commit).resolve(path);
            if (Files.exists(cached)) {
                return cached;
            }
            if (Files.exists(repoDir(repo).resolve(".no_exist").resolve(commit).resolve(path))) {
                if (required) {
                    throw missing(repo, path, url(repo, path));
                }
                return null;
            }
        }
        return download(repo, path, required);
    }

    private Path download(String repo, String path, boolean required) {
        URI url = url(repo, path);
        Path repoDir = repoDir(repo);
        Path part = repoDir.resolve(".downloads").resolve(path + ".part");
        try {
            Files.createDirectories(part.getParent());
            long have = Files.exists(part) ? Files.size(part) : 0;
            Fetched response = send(url, have);
            int status = response.status();
            if (status == 416 && have > 0) {
                // the part is not a prefix of the file any more: start over
                response.discard();
                Files.delete(part);
                have = 0;
                response = send(url, 0);
                status = response.status();
            }
            String commit = header(response, "X-Repo-Commit").orElseGet(() -> {
                String known = commit(repo);
                return known != null ? known : REVISION;
            });
            if (status == 404) {
                response.discard();
                if (required) {
                    throw missing(repo, path, url);
                }
                Path marker = repoDir.resolve(".no_exist").resolve(commit).resolve(path);
                Files.createDirectories(marker.getParent());
                Files.write(marker, new byte[0]);
                writeRef(repoDir, commit);
                return null;
            }
            if (status != 200 && status != 206) {
                response.discard();
                throw new LlmNetworkException(OnnxOptions.PROVIDER, displayName, "cannot download " + url + ": HTTP "
                        + status + (status == 401 || status == 403 ? " (a gated or private repository is not supported; "
                        + "download it yourself and set modelPath)" : ""), null);
            }
            long total;
            boolean append;
            if (status == 206) {
                String range = response.response().headers().getOrDefault("content-range", "");
                Matcher m = CONTENT_RANGE.matcher(range);
                if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                    response.discard();
                    throw new LlmNetworkException(OnnxOptions.PROVIDER, displayName, "cannot resume " + url
                            + ": unexpected Content-Range '" + range + "'", null);
                }
                total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
                append = true;
                LOG.info("Resuming download of {} at byte {}", url, have);
            } else {
                // the final response's own length: a redirect before it has its own
                String length = response.response().headers().get("content-length");
                total = length == null ? -1 : Long.parseLong(length.trim());
                append = false;
                have = 0;
            }
            long size;
            try {
                size = copy(response.body(), part, append, have, total, repo + " " + path);
            } catch (IOException e) {
                response.discard();
                throw e;
            }
            response.response().close();
            if (total >= 0 && size != total) {
                throw new LlmNetworkException(OnnxOptions.PROVIDER, displayName, "download of " + url + " ended after "
                        + size + " of " + total + " bytes; the next start resumes it", null);
            }
            String etag = etag(response).orElse(null);
            String digest = sha256(part);
            if (etag != null && SHA256.matcher(etag).matches() && !etag.equals(digest)) {
                Files.delete(part);
                throw new LlmNetworkException(OnnxOptions.PROVIDER, displayName, "download of " + url
                        + " is corrupt (SHA-256 " + digest + ", expected " + etag + "); it was deleted, start again", null);
            }
            return store(repoDir, commit, path, part, etag != null ? etag : digest);
        } catch (IOException e) {
            throw unreachable(url, e);
        }
    }

    /** GETs the file (from byte {@code from} on), following up to five redirects. */
    private Fetched send(URI url, long from) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", "camel-llm");
        if (from > 0) {
            headers.put("Range", "bytes=" + from + "-");
        }
        List<Map<String, String>> seen = new ArrayList<>();
        URI at = url;
        for (int hop = 0; ; hop++) {
            OpenResponse response = http.openGet(at, headers, READ_TIMEOUT);
            seen.add(0, response.headers());
            String location = response.headers().get("location");
            if (!REDIRECTS.contains(response.status()) || location == null) {
                return new Fetched(response, seen);
            }
            response.abort();
            if (hop == MAX_REDIRECTS) {
                throw new IOException("more than " + MAX_REDIRECTS + " redirects, the last to " + location);
            }
            at = at.resolve(location);
        }
    }

    private long copy(InputStream body, Path part, boolean append, long have, long total, String label)
            throws IOException {
        ProgressBar progress = new ProgressBar(label, total, have);
        long size = have;
        try (InputStream in = body;
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                size += n;
                progress.advance(n);
            }
        } catch (IOException e) {
            throw new IOException("download stopped after " + size + (total >= 0 ? " of " + total : "")
                    + " bytes (the next start resumes it): " + e.getMessage(), e);
        } finally {
            progress.finish();
        }
        return size;
    }

    /** Moves the finished part to blobs/{etag} and links snapshots/{commit}/{path} to it. */
    private Path store(Path repoDir, String commit, String path, Path part, String etag) throws IOException {
        Path blob = repoDir.resolve("blobs").resolve(etag);
        Files.createDirectories(blob.getParent());
        Files.move(part, blob, StandardCopyOption.REPLACE_EXISTING);
        Path target = repoDir.resolve("snapshots").resolve(commit).resolve(path);
        Files.createDirectories(target.getParent());
        Files.deleteIfExists(target);
        try {
            Files.createSymbolicLink(target, target.getParent().relativize(blob));
        } catch (IOException | UnsupportedOperationException e) {
            // no symbolic links here (e.g. Windows without developer mode): keep the file in the snapshot
            Files.move(blob, target, StandardCopyOption.REPLACE_EXISTING);
        }
        writeRef(repoDir, commit);
        return target;
    }

    private static void writeRef(Path repoDir, String commit) throws IOException {
        Path ref = repoDir.resolve("refs").resolve(REVISION);
        Files.createDirectories(ref.getParent());
        if (!Files.exists(ref) || !Files.readString(ref).trim().equals(commit)) {
            Files.writeString(ref, commit);
        }
    }

    private String commit(String repo) {
        Path ref = repoDir(repo).resolve("refs").resolve(REVISION);
        try {
            return Files.isRegularFile(ref) ? Files.readString(ref, StandardCharsets.UTF_8).trim() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private URI url(String repo, String path) {
        return URI.create(hub + "/" + repo + "/resolve/" + REVISION + "/" + path);
    }

    /** A header of the final response or of a redirect before it (the hub sets commit and ETag on the redirect). */
    private static Optional<String> header(Fetched response, String name) {
        String key = name.toLowerCase(java.util.Locale.ROOT);
        for (Map<String, String> headers : response.headers()) {
            String v = headers.get(key);
            if (v != null && !v.isBlank()) {
                return Optional.of(v.trim());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> etag(Fetched response) {
        return header(response, "X-Linked-Etag").or(() -> header(response, "ETag"))
                .map(e -> e.startsWith("W/") ? e.substring(2) : e)
                .map(e -> e.replace("\"", ""))
                .filter(e -> e.matches("[A-Za-z0-9._-]+"));
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private LlmConfigurationException missing(String repo, String path, URI url) {
        return OnnxOptions.invalid(displayName, "the repository " + repo + " has no " + path + " (" + url + ")");
    }

    private LlmNetworkException unreachable(URI url, IOException e) {
        ProxyServer proxy = http.network().proxy().select(url.getScheme(), url.getHost());
        String target = proxy == null ? url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "")
                : "the proxy " + proxy;
        String why;
        if (e instanceof ConnectTimeoutException) {
            why = "no connection to " + target + " in time (connectTimeout)";
        } else if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            why = "cannot connect to " + target;
        } else if (e instanceof SocketTimeoutException) {
            why = "no answer from " + url.getHost() + " within " + READ_TIMEOUT.toSeconds() + " s";
        } else if (e instanceof UnknownHostException) {
            why = "unknown host " + (proxy == null ? url.getHost() : proxy.host());
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new LlmNetworkException(OnnxOptions.PROVIDER, displayName, "cannot download " + url + ": " + why
                + ". Offline? Check hubBaseUrl and the network, or download the model and set modelPath", e);
    }
}
