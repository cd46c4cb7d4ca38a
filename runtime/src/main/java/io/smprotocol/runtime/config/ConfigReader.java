package io.smprotocol.runtime.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Reads a listener's configuration again, for a restart. The application's configuration mappings are built once at
 * start; this builds a fresh one over the same configuration sources, so that values which can change while the
 * application runs (system properties, sources that read through to their store) take effect on restart.
 */
public final class ConfigReader {

    private static final Logger LOG = Logger.getLogger(ConfigReader.class);

    /** The application's configuration, kept from the start: restarts may run on threads that cannot find it. */
    private final SmallRyeConfig running;

    private ConfigReader(SmallRyeConfig running) {
        this.running = running;
    }

    /**
     * @return a reader over the application's configuration; call it on a thread of the application (its context
     *         class loader selects the configuration)
     */
    public static ConfigReader ofApplication() {
        return new ConfigReader(ConfigProvider.getConfig().unwrap(SmallRyeConfig.class));
    }

    /**
     * @param mapping the configuration mapping to build
     * @param fallback the configuration to use when reading fails
     * @param <T> the mapping's type
     * @return the configuration as the sources give it now
     */
    public <T> T current(Class<T> mapping, T fallback) {
        try {
            List<ConfigSource> sources = new ArrayList<>();
            running.getConfigSources().forEach(sources::add);
            return new SmallRyeConfigBuilder()
                    .withProfiles(running.getProfiles())
                    .addDefaultInterceptors()
                    .withSources(sources)
                    .withConverter(Duration.class, 200, new DurationConverter())
                    .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                    .withMapping(mapping)
                    .withValidateUnknown(false)
                    .build()
                    .getConfigMapping(mapping);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not read the configuration %s again; the restart uses the one read at start",
                    mapping.getSimpleName());
            return fallback;
        }
    }
}
