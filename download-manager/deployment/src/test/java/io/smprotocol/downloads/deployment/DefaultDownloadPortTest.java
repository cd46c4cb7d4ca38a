package io.smprotocol.downloads.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * A new application's first {@code @QuarkusTest}: the download listener's default port (8081) is Quarkus' default
 * test port; the start fails with a message naming both settings instead of a bare "Port already bound".
 */
class DefaultDownloadPortTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.smprotocol.download.root", "target/dl-default-port")
            .overrideConfigKey("quarkus.smprotocol.tracking.enabled", "false")
            .assertException(failure -> {
                StringBuilder all = new StringBuilder();
                for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                    all.append(cause).append('\n');
                }
                assertThat(all.toString())
                        .contains("Quarkus' HTTP server (quarkus.http.test-port=8081")
                        .contains("the download listener (quarkus.smprotocol.download.port=8081")
                        .contains("give each listener its own port");
            });

    @Test
    void theApplicationDoesNotStart() {
        // the assertion is in assertException: this method only lets the extension run
    }
}
