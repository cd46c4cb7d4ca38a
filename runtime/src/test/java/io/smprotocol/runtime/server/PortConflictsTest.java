package io.smprotocol.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.runtime.configuration.ConfigurationException;

class PortConflictsTest {

    @ParameterizedTest(name = "{0} and {1}: {2}")
    @CsvSource({
            "127.0.0.1, 127.0.0.1, true",
            "localhost, 127.0.0.1, true",
            "0.0.0.0, 127.0.0.1, true",
            "127.0.0.1, 0.0.0.0, true",
            "0.0.0.0, 0.0.0.0, true",
            "::, 127.0.0.1, true",
            "::, ::1, true",
            "[::1], ::1, true",
            "0.0.0.0, ::1, false",
            "127.0.0.1, 127.0.0.2, false",
            "127.0.0.1, ::1, false",
    })
    void hostsOverlapWhenOneAddressOrAWildcardCoversTheOther(String first, String second, boolean overlap) {
        assertThat(PortConflicts.overlap(first, second)).isEqualTo(overlap);
    }

    @Test
    void theFirstConflictIsNamedWithBothListenersAndKeys() {
        List<ListenerAddress> addresses = List.of(
                new ListenerAddress("protocol 'kv'", "quarkus.smprotocol.protocols.kv.port", "127.0.0.1", 17211),
                new ListenerAddress("protocol 'chat'", "quarkus.smprotocol.protocols.chat.port", "127.0.0.1", 17212),
                new ListenerAddress("the download listener", "quarkus.smprotocol.download.port", "0.0.0.0", 17211));
        assertThatThrownBy(() -> PortConflicts.check(addresses)).isInstanceOf(ConfigurationException.class)
                .hasMessage("protocol 'kv' (quarkus.smprotocol.protocols.kv.port=17211, host 127.0.0.1) and the"
                        + " download listener (quarkus.smprotocol.download.port=17211, host 0.0.0.0) would listen on"
                        + " the same port; give each listener its own port");
    }

    @Test
    void portZeroAndDistinctPortsNeverConflict() {
        assertThatCode(() -> PortConflicts.check(List.of(
                new ListenerAddress("protocol 'a'", "a.port", "127.0.0.1", 0),
                new ListenerAddress("protocol 'b'", "b.port", "127.0.0.1", 0),
                new ListenerAddress("protocol 'c'", "c.port", "0.0.0.0", 2525),
                new ListenerAddress("protocol 'd'", "d.port", "127.0.0.1", 2526)))).doesNotThrowAnyException();
    }
}
