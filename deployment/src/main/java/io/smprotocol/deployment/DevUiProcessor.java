package io.smprotocol.deployment;

import io.quarkus.deployment.IsDevelopment;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.devui.spi.JsonRPCProvidersBuildItem;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.Page;
import io.smprotocol.runtime.devui.DownloadsJsonRpcService;
import io.smprotocol.runtime.devui.ProtocolsJsonRpcService;

/**
 * The Dev UI card: the protocols with their state, address and connections, and a restart button each; the download
 * listener's and tracking's counts with the latest downloads recorded.
 */
class DevUiProcessor {

    @BuildStep(onlyIf = IsDevelopment.class)
    CardPageBuildItem card() {
        CardPageBuildItem card = new CardPageBuildItem();
        card.addPage(Page.webComponentPageBuilder()
                .title("Protocols")
                .icon("font-awesome-solid:network-wired")
                .componentLink("qwc-smprotocol-protocols.js"));
        card.addPage(Page.webComponentPageBuilder()
                .title("Downloads")
                .icon("font-awesome-solid:download")
                .componentLink("qwc-smprotocol-downloads.js"));
        return card;
    }

    @BuildStep(onlyIf = IsDevelopment.class)
    JsonRPCProvidersBuildItem jsonRpc() {
        return new JsonRPCProvidersBuildItem(ProtocolsJsonRpcService.class);
    }

    @BuildStep(onlyIf = IsDevelopment.class)
    JsonRPCProvidersBuildItem downloadsJsonRpc() {
        return new JsonRPCProvidersBuildItem(DownloadsJsonRpcService.class);
    }
}
