package io.smprotocol.downloads.runtime.tracking.embedded;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.configuration.ConfigBuilder;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Adds, to the runtime configuration, the connection string of the {@link EmbeddedMongo} when the application sets no
 * {@code quarkus.mongodb.connection-string} and no {@code quarkus.mongodb.hosts}, tracking is on and
 * {@code quarkus.smprotocol.embedded-mongo.enabled} is not {@code false}. The server is started right then, before
 * the MongoDB client exists. The value is a low-priority default: any configured connection string wins.
 * <p>
 * With tracking off (it, or the download listener, disabled) it deactivates the default MongoDB client instead
 * ({@code quarkus.mongodb.active=false}, again a default the application can override): Quarkus creates its clients
 * at start, and nothing would use them.
 */
public class EmbeddedMongoConfigBuilder implements ConfigBuilder {

    /** Below {@code META-INF/microprofile-config.properties} (100) and everything an application sets. */
    static final int ORDINAL = 50;

    @Override
    public SmallRyeConfigBuilder configBuilder(SmallRyeConfigBuilder builder) {
        return builder.withSources(new Factory());
    }

    static final class Factory implements ConfigSourceFactory {

        @Override
        public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
            if ("false".equalsIgnoreCase(value(context, "quarkus.smprotocol.tracking.enabled"))
                    || "false".equalsIgnoreCase(value(context, "quarkus.smprotocol.download.enabled"))) {
                return List.of(new PropertiesConfigSource(Map.of("quarkus.mongodb.active", "false"),
                        "smprotocol tracking off", ORDINAL));
            }
            if (present(context, "quarkus.mongodb.connection-string") || present(context, "quarkus.mongodb.hosts")
                    || "false".equalsIgnoreCase(value(context, "quarkus.smprotocol.embedded-mongo.enabled"))) {
                return List.of();
            }
            String dataDir = value(context, "quarkus.smprotocol.embedded-mongo.data-dir");
            String connectionString = EmbeddedMongo.start(Path.of(dataDir == null ? "smprotocol-data" : dataDir));
            return List.of(new PropertiesConfigSource(Map.of("quarkus.mongodb.connection-string", connectionString),
                    "smprotocol embedded MongoDB", ORDINAL));
        }

        @Override
        public OptionalInt getPriority() {
            // after the factories that bring configured values
            return OptionalInt.of(ORDINAL);
        }

        /** @return whether the application set it (a default value, such as the client's hosts', does not count) */
        private static boolean present(ConfigSourceContext context, String name) {
            ConfigValue value = context.getValue(name);
            return value != null && value.getValue() != null && !value.getValue().isBlank()
                    && value.getConfigSourceOrdinal() > ORDINAL;
        }

        private static String value(ConfigSourceContext context, String name) {
            ConfigValue value = context.getValue(name);
            return value == null ? null : value.getValue();
        }
    }
}
