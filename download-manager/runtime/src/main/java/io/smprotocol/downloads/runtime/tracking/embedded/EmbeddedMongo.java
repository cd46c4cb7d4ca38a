package io.smprotocol.downloads.runtime.tracking.embedded;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jboss.logging.Logger;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * The in-process MongoDB: mongo-java-server with its H2 file backend ({@code DATA-DIR/mongo.mv}), listening on a free
 * loopback port. One per process; started when the runtime configuration is built (so the MongoDB client finds its
 * connection string), stopped at shutdown.
 * <p>
 * It speaks the MongoDB wire protocol to the real driver. It has no sessions or transactions, which tracking never
 * uses, so the same code runs on a real MongoDB.
 */
public final class EmbeddedMongo {

    private static final Logger LOG = Logger.getLogger("io.smprotocol.tracking");

    /** Why a native executable never starts it: mongo-java-server and H2 are not prepared for native images. */
    public static final String JVM_ONLY = "The embedded MongoDB (mongo-java-server) runs on the JVM only, not in a"
            + " native executable";

    private static MongoServer server;
    private static H2Backend backend;
    private static Path dataFile;
    private static String connectionString;

    private EmbeddedMongo() {
    }

    /**
     * Starts the server, or returns the running one's address.
     *
     * @param dataDir the folder of the data file
     * @return its connection string, {@code mongodb://127.0.0.1:PORT}
     * @throws IllegalStateException when the data file cannot be opened (another process uses it, no permission)
     * @throws ConfigurationException in a native executable
     */
    public static synchronized String start(Path dataDir) {
        if (ImageMode.current() == ImageMode.NATIVE_RUN) {
            throw new ConfigurationException(JVM_ONLY + ": set quarkus.mongodb.connection-string to a MongoDB server,"
                    + " or quarkus.smprotocol.tracking.enabled=false");
        }
        Path file = dataDir.toAbsolutePath().normalize().resolve("mongo.mv");
        if (server != null) {
            if (!file.equals(dataFile)) {
                LOG.warnf("the embedded MongoDB already runs on %s; %s is not used", dataFile, file);
            }
            return connectionString;
        }
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new IllegalStateException("quarkus.smprotocol.embedded-mongo.data-dir=" + dataDir
                    + " cannot be created: " + e, e);
        }
        H2Backend opened;
        try {
            opened = new H2Backend(file.toString());
        } catch (RuntimeException e) {
            throw new IllegalStateException("the embedded MongoDB cannot open " + file + " (is another process using"
                    + " quarkus.smprotocol.embedded-mongo.data-dir=" + dataDir + "?): " + e.getMessage(), e);
        }
        MongoServer started = new MongoServer(opened);
        try {
            started.bind("127.0.0.1", 0);
        } catch (RuntimeException e) {
            started.shutdownNow();
            throw new IllegalStateException("the embedded MongoDB cannot listen on 127.0.0.1: " + e.getMessage(), e);
        }
        InetSocketAddress address = started.getLocalAddress();
        backend = opened;
        server = started;
        dataFile = file;
        connectionString = "mongodb://127.0.0.1:" + address.getPort();
        LOG.infof("Embedded MongoDB (mongo-java-server, H2 file %s) listening on 127.0.0.1:%d; set"
                + " quarkus.mongodb.connection-string to use a MongoDB server instead", file, address.getPort());
        return connectionString;
    }

    /** Stops the server and closes its data file, if it runs. */
    public static synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.shutdownNow();
        } catch (RuntimeException e) {
            LOG.debugf("stopping the embedded MongoDB: %s", e);
        }
        try {
            backend.close();
        } catch (RuntimeException e) {
            LOG.debugf("closing the embedded MongoDB's data file: %s", e);
        }
        server = null;
        backend = null;
        dataFile = null;
        connectionString = null;
    }

    /** @return the running server's connection string, or {@code null} */
    public static synchronized String connectionString() {
        return connectionString;
    }
}
