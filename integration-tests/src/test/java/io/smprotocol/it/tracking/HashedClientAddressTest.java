package io.smprotocol.it.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smprotocol.downloads.runtime.config.ClientAddressMode;
import io.smprotocol.downloads.runtime.privacy.ClientAddresses;

/** {@code client-address=hashed}: clients stored as a keyed hash. */
@QuarkusTest
@TestProfile(ClientAddressModeProfiles.Hashed.class)
class HashedClientAddressTest extends ClientAddressChecks {

    final ClientAddresses addresses = ClientAddresses.of(ClientAddressMode.HASHED,
            Optional.of(ClientAddressModeProfiles.Hashed.KEY));

    @Override
    String stored(String address) {
        String hash = addresses.stored(address);
        assertThat(hash).startsWith("h:");
        return hash;
    }
}
