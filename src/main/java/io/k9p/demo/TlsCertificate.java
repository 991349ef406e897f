package io.k9p.demo;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PfxOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The API server's key and certificate for one IP address, made at start by the JDK's keytool
 * (there is no public API for making one): the key and certificate for Vert.x, and the certificate
 * a client trusts as its CA, as a PEM file (a pod's {@code ca.crt}). The certificate is
 * self-signed unless it is {@linkplain ApiServer.Certificate#EXPIRED expired}: the JDK trusts a certificate that is
 * itself a trust anchor without looking at its dates, so an expired one is issued by a CA made with it.
 */
final class TlsCertificate implements AutoCloseable {
    private static final String ALIAS = "k9p-demo-apiserver";
    private static final String CA_ALIAS = "k9p-demo-ca";
    private static final String PASSWORD_VARIABLE = "K9P_DEMO_STOREPASS";
    private static final String STORE = "apiserver.p12";
    private static final List<String> FILES = List.of(STORE, "ca.crt", "request.csr", "issued.pem");

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

    /**
     * A new key pair and certificate, valid for two days: for {@code ip} (and the name localhost),
     * unless {@code served} says otherwise.
     */
    static TlsCertificate generate(String ip, ApiServer.Certificate served) {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Path directory = null;
        try {
            directory = Files.createTempDirectory("k9p-demo-tls");
            Path store = directory.resolve(STORE);
            String names = served == ApiServer.Certificate.FOR_ANOTHER_NAME ? "ip:192.0.2.1,dns:apiserver.example" : "ip:" + ip + ",dns:localhost";
            String subject = "CN=" + (served == ApiServer.Certificate.FOR_ANOTHER_NAME ? "apiserver.example" : ip);
            keytool(password, "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", subject, "-ext", "SAN=" + names, "-validity", "2", "-storetype", "PKCS12",
                    "-keystore", store.toString());
            String trusted = ALIAS;
            if (served == ApiServer.Certificate.EXPIRED) {
                Path request = directory.resolve("request.csr");
                Path issued = directory.resolve("issued.pem");
                keytool(password, "-genkeypair", "-alias", CA_ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                        "-dname", "CN=k9p demo CA", "-ext", "bc:c", "-validity", "2", "-storetype", "PKCS12",
                        "-keystore", store.toString());
                keytool(password, "-certreq", "-alias", ALIAS, "-keystore", store.toString(), "-file", request.toString());
                keytool(password, "-gencert", "-alias", CA_ALIAS, "-keystore", store.toString(),
                        "-infile", request.toString(), "-outfile", issued.toString(), "-rfc",
                        "-ext", "SAN=" + names, "-startdate", "-3d", "-validity", "2");
                keytool(password, "-importcert", "-noprompt", "-alias", ALIAS, "-keystore", store.toString(),
                        "-file", issued.toString());
                trusted = CA_ALIAS;
            }
            KeyStore loaded = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                loaded.load(in, password.toCharArray());
            }
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(loaded.getCertificate(trusted).getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            // Vert.x serves the store's first key: the server's must be the only one.
            if (loaded.containsAlias(CA_ALIAS)) {
                loaded.deleteEntry(CA_ALIAS);
            }
            ByteArrayOutputStream keyStore = new ByteArrayOutputStream();
            loaded.store(keyStore, password.toCharArray());
            for (String file : FILES) {
                Files.deleteIfExists(directory.resolve(file));
            }
            Path certificate = Files.writeString(directory.resolve("ca.crt"), pem);
            // Also when the JVM exits without close(); deleted in the reverse order.
            directory.toFile().deleteOnExit();
            certificate.toFile().deleteOnExit();
            return new TlsCertificate(directory, certificate, keyStore.toByteArray(), password);
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

    /** Runs the JDK's keytool with the store's password in its environment; fails with its output. */
    private static void keytool(String password, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storepass:env", PASSWORD_VARIABLE));
        ProcessBuilder keytool = new ProcessBuilder(command).redirectErrorStream(true);
        keytool.environment().put(PASSWORD_VARIABLE, password);
        Process process = keytool.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output.strip());
        }
    }

    private static void delete(Path directory) {
        if (directory == null) {
            return;
        }
        try {
            for (String file : FILES) {
                Files.deleteIfExists(directory.resolve(file));
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
