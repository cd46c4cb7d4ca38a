package io.smprotocol.downloads.runtime.config;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigGroup;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.WithDefault;

/**
 * Download tracking: the logical downloads of the download manager, recorded in MongoDB through a local journal.
 */
@ConfigGroup
public interface TrackingConfig {

    /**
     * Whether downloads are tracked and recorded. Off: no journal, no MongoDB writes, no embedded MongoDB, and the
     * stats API answers 503.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The folder of the local append-only journal that every record goes through before it reaches MongoDB. It must
     * survive restarts (a volume in a container): downloads in flight when the process died are recovered from it.
     */
    @WithDefault("smprotocol-data/journal")
    String journalDir();

    /**
     * The most disk space the journal may take. Past it, new journal entries are kept in memory only until MongoDB
     * has acknowledged enough records for the journal to be compacted below the bound, with a warning in the log.
     */
    @WithDefault("64M")
    MemorySize journalMaxSize();

    /**
     * How often journal entries are written to MongoDB.
     */
    @WithDefault("2S")
    Duration flushInterval();

    /**
     * The most records written to MongoDB in one batch.
     */
    @WithDefault("500")
    int batchSize();

    /**
     * The most requests listed in one download record ({@code requestList}); the count ({@code requests}) and the
     * byte totals always cover all of them.
     */
    @WithDefault("100")
    int maxRequestsPerDownload();

    /**
     * How client addresses are stored in the records, the journal and the stats API: {@code full}, {@code truncated}
     * (IPv4 to /24, IPv6 to /48) or {@code hashed} (HMAC-SHA256 with {@code client-address-key}). Addresses are
     * personal data; geo and network information is looked up from the full address before it is reduced.
     */
    @WithDefault("full")
    ClientAddressMode clientAddress();

    /**
     * The secret key of {@code client-address=hashed}, at least 32 characters; the same on every replica, so that a
     * client hashes alike everywhere. Changing it makes every client a new one in the stored records.
     */
    Optional<String> clientAddressKey();
}
