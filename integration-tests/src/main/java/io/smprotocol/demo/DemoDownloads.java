package io.smprotocol.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smprotocol.download.DownloadEnded;

/**
 * Makes sure the demo's download root exists, with a sample file to fetch, and logs every finished download.
 */
@Singleton
public class DemoDownloads {

    private static final Logger LOG = Logger.getLogger(DemoDownloads.class);
    static final String SAMPLE = "hello.txt";

    void createRoot(@Observes StartupEvent start,
            @ConfigProperty(name = "quarkus.smprotocol.download.root") String root) throws IOException {
        Path folder = Path.of(root);
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(SAMPLE), "Hello from the SMProtocol download manager.\n"
                    + "Resume me with: curl -C - -O http://127.0.0.1:8081/" + SAMPLE + "\n", StandardCharsets.UTF_8);
            LOG.infof("Created %s with a sample file, %s", folder.toAbsolutePath(), SAMPLE);
        }
    }

    /** Runs on a worker thread, never on the download listener's event loop. */
    void downloaded(@Observes DownloadEnded download) {
        LOG.debugf("download %s of %s by %s: %s, %d/%d bytes", download.downloadId(), download.path(),
                download.clientIp(), download.reason(), download.bytesSent(), download.contentLength());
    }
}
