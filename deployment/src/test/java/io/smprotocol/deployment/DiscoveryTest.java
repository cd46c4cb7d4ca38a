package io.smprotocol.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableBean;
import io.quarkus.test.QuarkusUnitTest;
import io.smprotocol.Command;
import io.smprotocol.ListenerState;
import io.smprotocol.OnCommand;
import io.smprotocol.OnConnect;
import io.smprotocol.Protocol;
import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;

/**
 * A {@code @Protocol} class is found at build time, becomes a CDI bean (a singleton unless it declares a scope), gets
 * its dependencies injected, and its hooks answer on a real TCP listener.
 */
public class DiscoveryTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.app(List.of("greeter", "scoped"),
            Greeting.class, GreeterProtocol.class, ScopedProtocol.class);

    @ApplicationScoped
    public static class Greeting {
        String text() {
            return "Hi";
        }
    }

    @Protocol("greeter")
    public static class GreeterProtocol {

        final AtomicInteger hellos = new AtomicInteger();
        private final Greeting greeting;

        // constructor injection: the protocol is a real bean
        GreeterProtocol(Greeting greeting) {
            this.greeting = greeting;
        }

        @OnConnect
        String greet() {
            return "220 greeter ready";
        }

        @OnCommand("HELLO")
        String hello(Command command) {
            return "250 " + greeting.text() + " " + command.arguments() + " #" + hellos.incrementAndGet();
        }
    }

    /** Declares its own scope, which the extension keeps. */
    @Protocol("scoped")
    @ApplicationScoped
    public static class ScopedProtocol {

        @OnCommand("PING")
        String ping() {
            return "+PONG";
        }
    }

    @Inject
    GreeterProtocol greeter;

    @Inject
    ProtocolManager manager;

    @Test
    void protocolClassIsAnInjectableSingletonBean() {
        InjectableBean<GreeterProtocol> bean = Arc.container().instance(GreeterProtocol.class).getBean();
        assertThat(bean).isNotNull();
        assertThat(bean.getScope()).isEqualTo(Singleton.class);
        assertThat(greeter).isSameAs(Arc.container().instance(GreeterProtocol.class).get());
    }

    @Test
    void explicitScopeIsKept() throws Exception {
        InjectableBean<ScopedProtocol> bean = Arc.container().instance(ScopedProtocol.class).getBean();
        assertThat(bean.getScope()).isEqualTo(ApplicationScoped.class);
        try (LineClient client = LineClient.connect(manager, "scoped")) {
            assertThat(client.call("PING")).isEqualTo("+PONG");
        }
    }

    @Test
    void everyProtocolIsStartedOnItsOwnListener() {
        assertThat(manager.protocols()).extracting(ProtocolServer::name)
                .containsExactlyInAnyOrder("greeter", "scoped");
        ProtocolServer greeterServer = manager.protocol("greeter").orElseThrow();
        ProtocolServer scopedServer = manager.protocol("scoped").orElseThrow();
        assertThat(greeterServer.state()).isEqualTo(ListenerState.RUNNING);
        assertThat(scopedServer.state()).isEqualTo(ListenerState.RUNNING);
        assertThat(greeterServer.port()).isPositive();
        assertThat(scopedServer.port()).isPositive().isNotEqualTo(greeterServer.port());
        assertThat(manager.protocol("missing")).isEmpty();
    }

    @Test
    void hooksRunOnTheInjectedInstanceOverTcp() throws Exception {
        int before = greeter.hellos.get();
        try (LineClient client = LineClient.connect(manager, "greeter")) {
            assertThat(client.readLine()).isEqualTo("220 greeter ready");
            assertThat(client.call("HELLO world")).isEqualTo("250 Hi world #" + (before + 1));
            assertThat(client.call("hello again")).isEqualTo("250 Hi again #" + (before + 2));
        }
        // the hooks ran on the very instance the application injects
        assertThat(greeter.hellos.get()).isEqualTo(before + 2);
    }
}
