package io.smprotocol.downloads.runtime.tracking;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The records MongoDB does not hold yet: the latest state of each download and each request record the tracker
 * journaled, until the {@link JournalFlusher} wrote that very state. Written by the tracker's thread, read and
 * emptied by the flusher's.
 */
final class PendingRecords {

    private final Map<String, Download> downloads = new ConcurrentHashMap<>();
    private final Map<String, RequestRecord> requests = new ConcurrentHashMap<>();

    /** A download's new state, in place of any older one still pending. */
    void put(Download record) {
        downloads.put(record.id, record);
    }

    void put(RequestRecord record) {
        requests.put(record.id, record);
    }

    void putRequests(Map<String, RequestRecord> records) {
        requests.putAll(records);
    }

    /**
     * @param max the most to return
     * @return pending downloads, oldest first
     */
    List<Download> downloads(int max) {
        return downloads.values().stream().sorted(Comparator.comparing((Download d) -> d.startedAt)).limit(max)
                .toList();
    }

    /**
     * @param max the most to return
     * @return pending request records
     */
    List<RequestRecord> requests(int max) {
        return requests.values().stream().limit(max).toList();
    }

    /** @return every pending download */
    Collection<Download> downloads() {
        return downloads.values();
    }

    /** @return every pending request record */
    Collection<RequestRecord> requests() {
        return requests.values();
    }

    /**
     * MongoDB holds this state.
     *
     * @return whether it left the pending ones: {@code false} when a newer state replaced it meanwhile, which stays
     */
    boolean written(Download record) {
        return downloads.remove(record.id, record);
    }

    /** @return whether the record left the pending ones */
    boolean written(RequestRecord record) {
        return requests.remove(record.id, record);
    }

    /** @return how many records wait */
    int size() {
        return downloads.size() + requests.size();
    }
}
