package io.smprotocol.downloads.runtime.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.vertx.core.Future;

class LeaseHoldersTest {

    /**
     * A request finds the key taken, and the holder's release runs before the request looks for the holder: the key
     * is free, so the request asks once more rather than being refused for a download that is over.
     */
    @Test
    void aKeyGivenBackBetweenTheAttemptAndTheLookIsAskedForAgain() {
        LeaseHolders holders = new LeaseHolders();
        assertThat(holders.take("10.0.0.1 /a.bin")).isTrue();
        assertThat(holders.take("10.0.0.1 /a.bin")).as("the second request's attempt").isFalse();
        holders.give("10.0.0.1 /a.bin");

        AtomicInteger asked = new AtomicInteger();
        Future<Boolean> answer = holders.afterHolder("10.0.0.1 /a.bin", () -> {
            asked.incrementAndGet();
            return Future.succeededFuture(holders.take("10.0.0.1 /a.bin"));
        });
        assertThat(answer.result()).as("the key taken on the second attempt").isTrue();
        assertThat(asked).hasValue(1);
        assertThat(holders.size()).isEqualTo(1);
    }
}
