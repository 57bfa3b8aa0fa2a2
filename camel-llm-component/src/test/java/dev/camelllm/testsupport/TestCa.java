package dev.camelllm.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * A certificate authority made for one test run with the JDK's keytool (no dependency, loopback only): a
 * CA, a server certificate for 127.0.0.1 and localhost signed by it, the server's key store and a trust
 * store that holds the CA alone. Nothing the JVM trusts by default signed it, so a client without this
 * trust store must refuse the server.
 */
public final class TestCa {

    public static final String PASSWORD = "test-store-pw";

    private final Path dir;

    private TestCa(Path dir) {
        this.dir = dir;
    }

    /** Makes the CA and the server certificate in {@code dir} (a few keytool runs). */
    public static TestCa create(Path dir) throws IOException, InterruptedException {
        TestCa ca = new TestCa(dir);
        String store = "-storetype PKCS12 -storepass " + PASSWORD + " -keypass " + PASSWORD;
        ca.keytool("-genkeypair -alias ca -keyalg EC -groupname secp256r1 -dname CN=camel-llm-test-ca -ext bc:c "
                + "-validity 2 -keystore ca.p12 " + store);
        ca.keytool("-exportcert -rfc -alias ca -file ca.pem -keystore ca.p12 " + store);
        ca.keytool("-genkeypair -alias server -keyalg EC -groupname secp256r1 -dname CN=127.0.0.1 -validity 2 "
                + "-keystore server.p12 " + store);
        ca.keytool("-certreq -alias server -file server.csr -keystore server.p12 " + store);
        ca.keytool("-gencert -rfc -alias ca -infile server.csr -outfile server.pem -validity 2 "
                + "-ext san=ip:127.0.0.1,dns:localhost -ext eku=serverAuth -keystore ca.p12 " + store);
        // the chain back into the server's store: the CA first, then the signed certificate on its key
        ca.keytool("-importcert -noprompt -alias ca -file ca.pem -keystore server.p12 " + store);
        ca.keytool("-importcert -noprompt -alias server -file server.pem -keystore server.p12 " + store);
        ca.keytool("-importcert -noprompt -alias ca -file ca.pem -keystore trust.p12 " + store);
        return ca;
    }

    /** The trust store (PKCS12, {@link #PASSWORD}) holding only the CA. */
    public Path trustStore() {
        return dir.resolve("trust.p12");
    }

    /** The server's key store (PKCS12, {@link #PASSWORD}). */
    public Path serverKeyStore() {
        return dir.resolve("server.p12");
    }

    /** The TLS context of a server presenting the signed certificate. */
    public SSLContext serverContext() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverKeyStore())) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /** Camel's TLS parameters of a client that trusts this CA alone: what an endpoint's sslContextParameters names. */
    public SSLContextParameters clientParameters() {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("file:" + trustStore());
        store.setPassword(PASSWORD);
        store.setType("PKCS12");
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setTrustManagers(trust);
        return parameters;
    }

    /** A started HTTPS server on 127.0.0.1 that presents the signed certificate and serves every path with {@code handler}. */
    public HttpsServer httpsServer(HttpHandler handler) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext()));
        server.createContext("/", handler);
        server.start();
        return server;
    }

    private void keytool(String args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args.split(" ")));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool " + args + " failed: " + output);
        }
    }
}
