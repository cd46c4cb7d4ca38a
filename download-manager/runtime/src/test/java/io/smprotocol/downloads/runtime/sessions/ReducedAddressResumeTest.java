package io.smprotocol.downloads.runtime.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.smprotocol.downloads.runtime.config.ClientAddressMode;
import io.smprotocol.downloads.runtime.privacy.ClientAddresses;

/**
 * With {@code client-address=truncated|hashed} the journal knows a download's client by its reduced address only; a
 * client that resumes after a restart still continues its download, and a neighbour in the same network does not
 * take it.
 */
class ReducedAddressResumeTest {

    static final Duration WINDOW = Duration.ofMinutes(30);

    String id(DownloadSessions sessions, String ip) {
        return sessions.downloadId(ip, "curl/8", "/f.bin", "\"e1\"").result();
    }

    @Test
    void aTruncatedClientResumesItsDownloadAndItsNeighbourStartsItsOwn() {
        ClientAddresses truncated = ClientAddresses.of(ClientAddressMode.TRUNCATED, Optional.empty());
        DownloadSessions sessions = new DownloadSessions(WINDOW, null, truncated);
        sessions.resume("203.0.113.0", "curl/8", "/f.bin", "\"e1\"", "journaled", Instant.now().minusSeconds(60));
        assertThat(id(sessions, "203.0.113.77")).isEqualTo("journaled");
        assertThat(id(sessions, "203.0.113.77")).isEqualTo("journaled");
        assertThat(id(sessions, "203.0.113.78")).as("the neighbour in the same /24").isNotEqualTo("journaled");
        assertThat(id(sessions, "198.51.100.1")).isNotEqualTo("journaled");
    }

    @Test
    void aHashedClientResumesItsDownloadExactly() {
        ClientAddresses hashed = ClientAddresses.of(ClientAddressMode.HASHED,
                Optional.of("0123456789abcdef0123456789abcdef"));
        DownloadSessions sessions = new DownloadSessions(WINDOW, null, hashed);
        sessions.resume(hashed.stored("203.0.113.77"), "curl/8", "/f.bin", "\"e1\"", "journaled",
                Instant.now().minusSeconds(60));
        assertThat(id(sessions, "203.0.113.78")).isNotEqualTo("journaled");
        assertThat(id(sessions, "203.0.113.77")).isEqualTo("journaled");
    }

    @Test
    void aJournaledDownloadWhoseWindowPassedIsNotResumed() {
        ClientAddresses truncated = ClientAddresses.of(ClientAddressMode.TRUNCATED, Optional.empty());
        DownloadSessions sessions = new DownloadSessions(WINDOW, null, truncated);
        sessions.resume("203.0.113.0", "curl/8", "/f.bin", "\"e1\"", "journaled",
                Instant.now().minus(WINDOW).minusSeconds(1));
        assertThat(id(sessions, "203.0.113.77")).isNotEqualTo("journaled");
    }
}
