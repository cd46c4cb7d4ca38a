package io.smprotocol.deployment;

import java.util.List;

import io.quarkus.test.QuarkusUnitTest;

/**
 * The common setup of the tests' applications.
 */
public final class TestApps {

    private TestApps() {
    }

    /**
     * @param protocols the names of the application's protocols; each listens on a free port ({@code port=0})
     * @param classes the application's classes; the test helpers are added to them
     * @return a test application
     */
    public static QuarkusUnitTest app(List<String> protocols, Class<?>... classes) {
        QuarkusUnitTest test = new QuarkusUnitTest()
                .withApplicationRoot(jar -> jar.addClasses(TestApps.class, LineClient.class).addClasses(classes))
                .overrideConfigKey("quarkus.smprotocol.banner", "false")
                // the management endpoints' HTTP server must not collide with another test run on 8081
                .overrideConfigKey("quarkus.http.test-port", "0");
        for (String protocol : protocols) {
            test.overrideConfigKey("quarkus.smprotocol.protocols." + protocol + ".port", "0");
        }
        return test;
    }
}
