package io.smprotocol.it.tracking;

import java.nio.file.Files;
import java.nio.file.Path;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/**
 * A MongoDB (mongo-java-server, H2 file backend) in a process of its own, for tests that stop and start it:
 * {@code java -cp CLASSPATH io.smprotocol.it.tracking.MongoServerMain PORT DATA-FILE}. It prints {@code READY} once
 * listening and runs until stopped (SIGTERM); the data file keeps what was written across restarts.
 */
public final class MongoServerMain {

    private MongoServerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path file = Path.of(args[1]);
        Files.createDirectories(file.toAbsolutePath().getParent());
        H2Backend backend = new H2Backend(file.toString());
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", port);
        // stopped with SIGTERM: the data file is committed and closed
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }
}
