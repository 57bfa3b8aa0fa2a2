package dev.camelllm.provider.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.api.LlmNetworkException;

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
 * <p>It uses the JDK's HttpClient rather than the component's HttpTransport: that one is tuned for JSON
 * calls to LLM APIs (its pool, read timeouts and error translation), while a download streams gigabytes
 * to disk and follows the hub's redirect to its CDN host; keeping them apart also keeps a model download
 * from holding connections of the LLM pool.
 */
final class HubDownloader {

    private static final Logger LOG = LoggerFactory.getLogger(HubDownloader.class);
    private static final String REVISION = "main";
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final java.util.concurrent.ConcurrentHashMap<Path, Object> LOCKS = new java.util.concurrent.ConcurrentHashMap<>();

    private final URI hub;
    private final Path cacheRoot;
    private final String displayName;
    private final HttpClient client;

    HubDownloader(URI hub, Path cacheRoot, String displayName) {
        this.hub = hub;
        this.cacheRoot = cacheRoot;
        this.displayName = displayName;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(15))
                .build();
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
            HttpResponse<InputStream> response = send(url, have);
            int status = response.statusCode();
            if (status == 416 && have > 0) {
                // the part is not a prefix of the file any more: start over
                response.body().close();
                Files.delete(part);
                have = 0;
                response = send(url, 0);
                status = response.statusCode();
            }
            String commit = header(response, "X-Repo-Commit").orElseGet(() -> {
                String known = commit(repo);
                return known != null ? known : REVISION;
            });
            if (status == 404) {
                response.body().close();
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
                response.body().close();
                throw new LlmNetworkException(OnnxOptions.PROVIDER, displayName, "cannot download " + url + ": HTTP "
                        + status + (status == 401 || status == 403 ? " (a gated or private repository is not supported; "
                        + "download it yourself and set modelPath)" : ""), null);
            }
            long total;
            boolean append;
            if (status == 206) {
                Matcher m = CONTENT_RANGE.matcher(header(response, "Content-Range").orElse(""));
                if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                    response.body().close();
                    throw new LlmNetworkException(OnnxOptions.PROVIDER, displayName, "cannot resume " + url
                            + ": unexpected Content-Range '" + header(response, "Content-Range").orElse("") + "'", null);
                }
                total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
                append = true;
                LOG.info("Resuming download of {} at byte {}", url, have);
            } else {
                total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                append = false;
                have = 0;
            }
            long size = copy(response.body(), part, append, have, total, repo + " " + path);
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmNetworkException(OnnxOptions.PROVIDER, displayName, "interrupted while downloading " + url, e);
        }
    }

    private HttpResponse<InputStream> send(URI url, long from) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET().timeout(Duration.ofSeconds(60))
                .header("User-Agent", "camel-llm");
        if (from > 0) {
            request.header("Range", "bytes=" + from + "-");
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
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
    private static Optional<String> header(HttpResponse<?> response, String name) {
        for (HttpResponse<?> r = response; r != null; r = r.previousResponse().orElse(null)) {
            Optional<String> v = r.headers().firstValue(name);
            if (v.isPresent() && !v.get().isBlank()) {
                return v.map(String::trim);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> etag(HttpResponse<?> response) {
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
        String why;
        if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            why = "cannot connect to " + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
        } else if (e instanceof HttpConnectTimeoutException) {
            why = "no connection to " + url.getHost() + " within 15 s";
        } else if (e instanceof HttpTimeoutException) {
            why = "no answer from " + url.getHost() + " within 60 s";
        } else if (e.getCause() instanceof UnresolvedAddressException || e instanceof java.net.UnknownHostException) {
            why = "unknown host " + url.getHost();
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new LlmNetworkException(OnnxOptions.PROVIDER, displayName, "cannot download " + url + ": " + why
                + ". Offline? Check hubBaseUrl and the network, or download the model and set modelPath", e);
    }
}
