package io.smprotocol.runtime.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts a protocol's open connections, in all and per client IP, against its limits. Shared by the protocol's
 * event loops.
 */
final class ConnectionLimits {

    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perIp = new ConcurrentHashMap<>();

    /**
     * @param ip the client's address
     * @param maxTotal the most connections in all, 0 for no limit
     * @param maxPerIp the most connections from one address, 0 for no limit
     * @return whether the connection may open; if so, {@link #release(String)} must follow when it closes
     */
    boolean tryAcquire(String ip, int maxTotal, int maxPerIp) {
        if (total.incrementAndGet() > maxTotal && maxTotal > 0) {
            total.decrementAndGet();
            return false;
        }
        int[] fromIp = new int[1];
        perIp.compute(ip, (ignored, count) -> fromIp[0] = count == null ? 1 : count + 1);
        if (fromIp[0] > maxPerIp && maxPerIp > 0) {
            release(ip);
            return false;
        }
        return true;
    }

    void release(String ip) {
        total.decrementAndGet();
        perIp.computeIfPresent(ip, (ignored, count) -> count == 1 ? null : count - 1);
    }
}
