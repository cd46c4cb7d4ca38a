package io.smprotocol.deployment;

import io.quarkus.builder.item.MultiBuildItem;

/**
 * An HTTP endpoint that changes what runs (a restart) or shows every client's IP. The start warns when such an
 * endpoint listens on an address other machines reach and no HTTP permission guards it.
 */
public final class SensitiveEndpointBuildItem extends MultiBuildItem {

    private final boolean managementRoute;
    private final String endpoint;
    private final String guardPath;

    /**
     * @param managementRoute whether it is a management route: on the management interface when that is enabled, on
     *        the main HTTP server otherwise
     * @param method its HTTP method
     * @param path its absolute path, with a sample name where the path takes one
     * @param guardPath the permission path to suggest for it, such as {@code /q/smprotocol/*}
     */
    public SensitiveEndpointBuildItem(boolean managementRoute, String method, String path, String guardPath) {
        this.managementRoute = managementRoute;
        this.endpoint = method + " " + path;
        this.guardPath = guardPath;
    }

    public boolean managementRoute() {
        return managementRoute;
    }

    /** @return method and path, such as {@code POST /q/smprotocol/restart} */
    public String endpoint() {
        return endpoint;
    }

    public String guardPath() {
        return guardPath;
    }
}
