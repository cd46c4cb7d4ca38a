package io.smprotocol.downloads.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.downloads.runtime.tracking.embedded.EmbeddedMongo;

/**
 * With tracking off, no MongoDB client is active, the embedded MongoDB does not start, no data directory is written
 * and the MongoDB driver logs nothing.
 */
class TrackingOffTest {

    static final String DATA_DIR = "target/tracking-off-data";

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.http.test-port", "0")
            .overrideConfigKey("quarkus.smprotocol.download.port", "0")
            .overrideConfigKey("quarkus.smprotocol.download.root", "target/dl-tracking-off")
            .overrideConfigKey("quarkus.smprotocol.tracking.enabled", "false")
            .overrideConfigKey("quarkus.smprotocol.embedded-mongo.data-dir", DATA_DIR)
            .setLogRecordPredicate(record -> record.getLoggerName().startsWith("org.mongodb")
                    || record.getLoggerName().startsWith("de.bwaldvogel"))
            .assertLogRecords(records -> assertThat(records).isEmpty());

    @Test
    void noMongoDbClientNoEmbeddedServerNoDataDirectory() {
        assertThat(ConfigProvider.getConfig().getValue("quarkus.mongodb.active", Boolean.class)).isFalse();
        assertThat(EmbeddedMongo.connectionString()).isNull();
        assertThat(Path.of(DATA_DIR)).doesNotExist();
    }
}
