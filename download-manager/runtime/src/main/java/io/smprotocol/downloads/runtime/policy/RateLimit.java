package io.smprotocol.downloads.runtime.policy;

/**
 * A token bucket pacing one connection to a number of bytes per second, with a burst of one block. It is shared by
 * the responses of a keep-alive connection, so that many small range requests cannot exceed the rate either.
 * Confined to the connection's event loop: not thread-safe.
 */
public final class RateLimit {

    private final long bytesPerSecond;
    private final long burst;
    private double tokens;
    private long refilledAt;

    /**
     * @param bytesPerSecond the rate, more than 0
     * @param burst the most bytes sent at once after a pause
     * @param now {@link System#nanoTime()}
     */
    public RateLimit(long bytesPerSecond, long burst, long now) {
        if (bytesPerSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.bytesPerSecond = bytesPerSecond;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = now;
    }

    /**
     * Takes {@code bytes} from the bucket, going into debt if needed.
     *
     * @param bytes the size of the block about to be sent
     * @param now {@link System#nanoTime()}
     * @return how long to wait before sending it, in milliseconds (0: now)
     */
    public long reserve(long bytes, long now) {
        tokens = Math.min(burst, tokens + (now - refilledAt) * (double) bytesPerSecond / 1_000_000_000L);
        refilledAt = now;
        tokens -= bytes;
        if (tokens >= 0) {
            return 0;
        }
        return (long) Math.ceil(-tokens * 1000 / bytesPerSecond);
    }

    /** @return the rate in bytes per second */
    public long bytesPerSecond() {
        return bytesPerSecond;
    }
}
