package io.smprotocol.deployment;

import java.util.List;

import io.quarkus.arc.deployment.BeanContainerBuildItem;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Produce;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.vertx.http.runtime.management.ManagementInterfaceBuildTimeConfig;
import io.smprotocol.runtime.ListenerAddressRecorder;

/**
 * The check, at run time and before any listener binds, that no two listeners of the application (protocols, the
 * download listener, Quarkus' HTTP server and management interface) are configured on one address and port.
 */
class ListenerAddressProcessor {

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void protocolAddresses(ListenerAddressRecorder recorder, List<ProtocolBuildItem> protocols,
            BeanContainerBuildItem beanContainer, BuildProducer<ListenerAddressBuildItem> addresses) {
        addresses.produce(new ListenerAddressBuildItem(
                recorder.protocols(protocols.stream().map(ProtocolBuildItem::name).toList())));
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void quarkusAddresses(ListenerAddressRecorder recorder, ManagementInterfaceBuildTimeConfig management,
            BuildProducer<ListenerAddressBuildItem> addresses) {
        addresses.produce(new ListenerAddressBuildItem(recorder.quarkusHttp(management.enabled())));
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    @Produce(PortsCheckedBuildItem.class)
    void checkAddresses(ListenerAddressRecorder recorder, List<ListenerAddressBuildItem> addresses) {
        recorder.check(addresses.stream().map(ListenerAddressBuildItem::addresses).toList());
    }
}
