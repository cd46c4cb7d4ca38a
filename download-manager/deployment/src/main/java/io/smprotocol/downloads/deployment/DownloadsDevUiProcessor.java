package io.smprotocol.downloads.deployment;

import io.quarkus.deployment.IsDevelopment;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.devui.spi.JsonRPCProvidersBuildItem;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.Page;
import io.smprotocol.downloads.runtime.devui.DownloadsJsonRpcService;

/**
 * The Dev UI card of the download manager: the listener's and tracking's counts, with the latest downloads recorded.
 */
class DownloadsDevUiProcessor {

    @BuildStep(onlyIf = IsDevelopment.class)
    CardPageBuildItem card() {
        CardPageBuildItem card = new CardPageBuildItem();
        card.addPage(Page.webComponentPageBuilder()
                .title("Downloads")
                .icon("font-awesome-solid:download")
                .componentLink("qwc-smprotocol-downloads.js"));
        return card;
    }

    @BuildStep(onlyIf = IsDevelopment.class)
    JsonRPCProvidersBuildItem jsonRpc() {
        return new JsonRPCProvidersBuildItem(DownloadsJsonRpcService.class);
    }
}
