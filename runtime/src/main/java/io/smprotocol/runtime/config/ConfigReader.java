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
 * Reads the SMProtocol configuration again, for a restart. The application's configuration mapping is built once at
 * start; this builds a fresh one over the same configuration sources, so that values which can change while the
 * application runs (system properties, sources that read through to their store) take effect on restart.
 */
public final class ConfigReader {

    private static final Logger LOG = Logger.getLogger(ConfigReader.class);

    private ConfigReader() {
    }

    /**
     * @return the application's configuration; call it on a thread of the application (its context class loader
     *         selects the configuration), keep it for {@link #current(SmallRyeConfig, SmProtocolConfig)}
     */
    public static SmallRyeConfig application() {
        return ConfigProvider.getConfig().unwrap(SmallRyeConfig.class);
    }

    /**
     * @param running the application's configuration, from {@link #application()}
     * @param fallback the configuration to use when reading fails
     * @return the configuration as the sources give it now
     */
    public static SmProtocolConfig current(SmallRyeConfig running, SmProtocolConfig fallback) {
        try {
            List<ConfigSource> sources = new ArrayList<>();
            running.getConfigSources().forEach(sources::add);
            return new SmallRyeConfigBuilder()
                    .withProfiles(running.getProfiles())
                    .addDefaultInterceptors()
                    .withSources(sources)
                    .withConverter(Duration.class, 200, new DurationConverter())
                    .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                    .withMapping(SmProtocolConfig.class)
                    .withValidateUnknown(false)
                    .build()
                    .getConfigMapping(SmProtocolConfig.class);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not read the SMProtocol configuration again; the restart uses the one read at start");
            return fallback;
        }
    }
}
