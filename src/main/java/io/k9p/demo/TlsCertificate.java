package io.k9p.demo;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for one IP address, made at start by the JDK's keytool (there is no
 * public API for making one): the API server's key and certificate for Vert.x, and the certificate
 * as a PEM file, which clients name as their CA, as a pod's {@code ca.crt}.
 */
final class TlsCertificate implements AutoCloseable {
    private static final String ALIAS = "k9p-demo-apiserver";
    private static final String PASSWORD_VARIABLE = "K9P_DEMO_STOREPASS";

    private final Path directory;
    private final Path certificate;
    private final byte[] keyStore;
    private final String password;

    private TlsCertificate(Path directory, Path certificate, byte[] keyStore, String password) {
        this.directory = directory;
        this.certificate = certificate;
        this.keyStore = keyStore;
        this.password = password;
    }

    /** A new key pair and certificate for {@code ip} (and the name localhost), valid for two days. */
    static TlsCertificate generate(String ip) {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Path directory = null;
        try {
            directory = Files.createTempDirectory("k9p-demo-tls");
            Path store = directory.resolve("apiserver.p12");
            ProcessBuilder keytool = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=" + ip, "-ext", "SAN=ip:" + ip + ",dns:localhost", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass:env", PASSWORD_VARIABLE)
                    .redirectErrorStream(true);
            keytool.environment().put(PASSWORD_VARIABLE, password);
            Process process = keytool.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool failed: " + output.strip());
            }
            byte[] keyStore = Files.readAllBytes(store);
            KeyStore loaded = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                loaded.load(in, password.toCharArray());
            }
            Files.delete(store);
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(loaded.getCertificate(ALIAS).getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            Path certificate = Files.writeString(directory.resolve("ca.crt"), pem);
            // Also when the JVM exits without close(); deleted in the reverse order.
            directory.toFile().deleteOnExit();
            certificate.toFile().deleteOnExit();
            return new TlsCertificate(directory, certificate, keyStore, password);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            delete(directory);
            throw new IllegalStateException("cannot make the API server's certificate: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            delete(directory);
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The key and certificate, as Vert.x's server takes them. */
    KeyCertOptions keyCertOptions() {
        return new PfxOptions().setValue(Buffer.buffer(keyStore)).setPassword(password);
    }

    /** The certificate, PEM-encoded: what a client trusts. */
    Path certificate() {
        return certificate;
    }

    @Override
    public void close() {
        delete(directory);
    }

    private static void delete(Path directory) {
        if (directory == null) {
            return;
        }
        try {
            Files.deleteIfExists(directory.resolve("apiserver.p12"));
            Files.deleteIfExists(directory.resolve("ca.crt"));
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
