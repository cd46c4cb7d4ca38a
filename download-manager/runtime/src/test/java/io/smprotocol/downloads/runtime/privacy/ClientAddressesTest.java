package io.smprotocol.downloads.runtime.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smprotocol.downloads.runtime.config.ClientAddressMode;

/** What each {@code client-address} mode stores of an address, and the key {@code hashed} requires. */
class ClientAddressesTest {

    static final String KEY = "0123456789abcdef0123456789abcdef";

    final ClientAddresses full = ClientAddresses.of(ClientAddressMode.FULL, Optional.empty());
    final ClientAddresses truncated = ClientAddresses.of(ClientAddressMode.TRUNCATED, Optional.empty());
    final ClientAddresses hashed = ClientAddresses.of(ClientAddressMode.HASHED, Optional.of(KEY));

    @Test
    void fullKeepsTheAddress() {
        assertThat(full.keepsFull()).isTrue();
        assertThat(full.stored("203.0.113.77")).isEqualTo("203.0.113.77");
        assertThat(full.stored("2001:db8:1:2::7")).isEqualTo("2001:db8:1:2::7");
    }

    @Test
    void truncatedKeepsTheNetworkOfEachFamily() {
        assertThat(truncated.keepsFull()).isFalse();
        assertThat(truncated.stored("203.0.113.77")).isEqualTo("203.0.113.0");
        assertThat(truncated.stored("2001:db8:1:2:3:4:5:6")).isEqualTo("2001:db8:1::");
        assertThat(truncated.stored("[2001:db8:abcd:12::1]")).isEqualTo("2001:db8:abcd::");
        assertThat(truncated.stored("::ffff:198.51.100.9")).as("IPv4-mapped").isEqualTo("198.51.100.0");
        assertThat(truncated.stored("::1")).isEqualTo("::");
        // reducing what is already reduced changes nothing: a filter may give either form
        assertThat(truncated.stored("203.0.113.0")).isEqualTo("203.0.113.0");
        assertThat(truncated.stored("2001:db8:1::")).isEqualTo("2001:db8:1::");
    }

    @Test
    void truncatedNeverLooksUpOrKeepsWhatIsNoAddress() {
        assertThat(truncated.stored("unknown")).isEqualTo(ClientAddresses.UNKNOWN);
        assertThat(truncated.stored("_hidden-node")).isEqualTo(ClientAddresses.UNKNOWN);
        assertThat(truncated.stored("localhost")).isEqualTo(ClientAddresses.UNKNOWN);
        assertThat(truncated.stored("999.1.1.1")).isEqualTo(ClientAddresses.UNKNOWN);
        assertThat(truncated.stored(null)).isNull();
    }

    @Test
    void hashedIsStablePerAddressAndTellsClientsApart() {
        String one = hashed.stored("203.0.113.77");
        assertThat(one).startsWith("h:").doesNotContain("203").hasSize(2 + 22);
        assertThat(hashed.stored("203.0.113.77")).isEqualTo(one);
        assertThat(hashed.stored("203.0.113.78")).isNotEqualTo(one);
        assertThat(hashed.stored(one)).as("already hashed").isEqualTo(one);
        ClientAddresses otherKey = ClientAddresses.of(ClientAddressMode.HASHED, Optional.of(KEY.replace('0', 'x')));
        assertThat(otherKey.stored("203.0.113.77")).isNotEqualTo(one);
    }

    @Test
    void hashedWithoutAKeyOrWithAShortOneDoesNotStart() {
        assertThatThrownBy(() -> ClientAddresses.of(ClientAddressMode.HASHED, Optional.empty()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("quarkus.smprotocol.tracking.client-address-key");
        assertThatThrownBy(() -> ClientAddresses.of(ClientAddressMode.HASHED, Optional.of("short")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("quarkus.smprotocol.tracking.client-address-key").hasMessageContaining("32");
    }
}
