package io.smprotocol.runtime;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.arc.Arc;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.annotations.Recorder;
import io.smprotocol.runtime.config.ProtocolConfig;
import io.smprotocol.runtime.config.ProtocolKeys;
import io.smprotocol.runtime.config.SmProtocolConfig;
import io.smprotocol.runtime.server.ListenerAddress;
import io.smprotocol.runtime.server.PortConflicts;

/**
 * Gathers, at run time and before any listener binds, where every listener of the application is configured to
 * listen, and fails the start when two share an address (see {@link PortConflicts}).
 */
@Recorder
public class ListenerAddressRecorder {

    /**
     * @param names the protocols found at build time
     * @return where the enabled ones listen
     */
    public RuntimeValue<List<ListenerAddress>> protocols(List<String> names) {
        SmProtocolConfig config = Arc.container().instance(SmProtocolConfig.class).get();
        List<ListenerAddress> addresses = new ArrayList<>();
        for (String name : names) {
            ProtocolConfig protocol = config.protocols().get(name);
            if (protocol.enabled() && protocol.port().isPresent()) {
                addresses.add(new ListenerAddress("protocol '" + name + "'", ProtocolKeys.prefix(name) + ".port",
                        protocol.host(),
                        protocol.port().getAsInt()));
            }
        }
        return new RuntimeValue<>(addresses);
    }

    /**
     * @param management whether the management interface is enabled ({@code quarkus.management.enabled}, fixed at
     *        build time)
     * @return where Quarkus' own HTTP server and management interface listen, as their configuration says
     */
    public RuntimeValue<List<ListenerAddress>> quarkusHttp(boolean management) {
        Config config = ConfigProvider.getConfig();
        boolean test = LaunchMode.current() == LaunchMode.TEST;
        String defaultHost = LaunchMode.current().isDevOrTest() ? "localhost" : "0.0.0.0";
        List<ListenerAddress> addresses = new ArrayList<>();
        if (config.getOptionalValue("quarkus.http.host-enabled", Boolean.class).orElse(true)) {
            addresses.add(address(config, "Quarkus' HTTP server", "quarkus.http", test, defaultHost, 8080, 8081));
        }
        if (management) {
            addresses.add(address(config, "Quarkus' management interface", "quarkus.management", test, defaultHost,
                    9000, 9001));
        }
        return new RuntimeValue<>(addresses);
    }

    private static ListenerAddress address(Config config, String listener, String prefix, boolean test,
            String defaultHost, int defaultPort, int defaultTestPort) {
        String key = prefix + (test ? ".test-port" : ".port");
        int port = config.getOptionalValue(key, Integer.class).orElse(test ? defaultTestPort : defaultPort);
        String host = config.getOptionalValue(prefix + ".host", String.class).orElse(defaultHost);
        return new ListenerAddress(listener, key, host, port);
    }

    /**
     * @param listeners where each extension's listeners are configured to listen
     */
    public void check(List<RuntimeValue<List<ListenerAddress>>> listeners) {
        List<ListenerAddress> all = new ArrayList<>();
        listeners.forEach(value -> all.addAll(value.getValue()));
        PortConflicts.check(all);
    }
}
