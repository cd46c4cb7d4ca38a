package io.smprotocol.it.tracking;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@code client-address=truncated}: IPv4 clients stored as their /24. */
@QuarkusTest
@TestProfile(ClientAddressModeProfiles.Truncated.class)
class TruncatedClientAddressTest extends ClientAddressChecks {

    @Override
    String stored(String address) {
        return address.substring(0, address.lastIndexOf('.')) + ".0";
    }
}
