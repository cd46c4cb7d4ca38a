package io.smprotocol.downloads.runtime.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.smprotocol.download.DownloadEndReason;

/**
 * How download records combine. A record is made of the parts that nodes (each run of each node) contributed; every
 * total of the record is derived from its parts and its coverage. Merging a contribution into a stored record is
 * idempotent, commutative and associative: the coverage is a union, the request list the first requests of the
 * union of both lists, and a part replaces the stored one only when it is newer. Writing the same contribution twice
 * (a retry after a timeout whose write had succeeded) or in any order gives the same record: records arrive exactly
 * once, whichever replica and whichever retry wrote them.
 */
public final class Downloads {

    private static final Comparator<Download.RequestEntry> BY_START = Comparator
            .comparing((Download.RequestEntry e) -> e.start == null ? Instant.MAX : e.start)
            .thenComparing(e -> e.key == null ? "" : e.key);

    private Downloads() {
    }

    /**
     * Merges a contribution into a stored record.
     *
     * @param stored the record as stored, or {@code null} when there is none yet
     * @param contribution a record whose parts replace older ones of the same key
     * @param maxRequests the bound of the request list
     * @return the merged record (a new one; neither argument is changed), with the stored revision plus one
     */
    public static Download merge(Download stored, Download contribution, int maxRequests) {
        Download merged = new Download();
        Download base = stored != null ? stored : contribution;
        merged.id = contribution.id;
        merged.file = base.file;
        merged.client = base.client;
        merged.node = base.node;
        merged.startedAt = stored == null ? contribution.startedAt : min(stored.startedAt, contribution.startedAt);
        merged.revision = stored == null ? 1 : stored.revision + 1;

        Map<String, Download.Part> parts = new LinkedHashMap<>();
        if (stored != null && stored.parts != null) {
            parts.putAll(stored.parts);
        }
        for (Map.Entry<String, Download.Part> part : contribution.parts.entrySet()) {
            Download.Part old = parts.get(part.getKey());
            if (old == null || old.version <= part.getValue().version) {
                parts.put(part.getKey(), part.getValue());
            }
        }
        merged.parts = parts;

        Coverage coverage = new Coverage();
        for (Download record : stored == null ? List.of(contribution) : List.of(stored, contribution)) {
            if (record.coverage != null) {
                for (Download.Range range : record.coverage) {
                    coverage.add(range.first, range.last);
                }
            }
        }
        merged.coverage = new ArrayList<>(coverage.intervals().stream()
                .map(i -> new Download.Range(i.first(), i.last())).toList());

        Map<String, Download.RequestEntry> requests = new LinkedHashMap<>();
        if (stored != null && stored.requestList != null) {
            stored.requestList.forEach(e -> requests.put(e.key, e));
        }
        if (contribution.requestList != null) {
            contribution.requestList.forEach(e -> requests.put(e.key, e));
        }
        List<Download.RequestEntry> list = new ArrayList<>(requests.values());
        list.sort(BY_START);
        merged.requestList = new ArrayList<>(list.subList(0, Math.min(list.size(), Math.max(0, maxRequests))));
        derive(merged);
        return merged;
    }

    /**
     * Computes a record's totals from its parts and coverage: bytes, requests, covered bytes, percentage, completion,
     * end reason, end and duration.
     *
     * @param record the record to complete
     */
    public static void derive(Download record) {
        long bytes = 0;
        int requests = 0;
        boolean anyOpen = false;
        Instant completedAt = null;
        Instant lastActivity = null;
        Download.Part lastClosed = null;
        for (Download.Part part : record.parts.values()) {
            bytes += part.bytesSent;
            requests += part.requests;
            anyOpen |= part.open;
            if (part.completedAt != null) {
                completedAt = completedAt == null ? part.completedAt : min(completedAt, part.completedAt);
            }
            lastActivity = max(lastActivity, part.lastActivity);
            if (!part.open && (lastClosed == null || compare(part.lastActivity, lastClosed.lastActivity) > 0)) {
                lastClosed = part;
            }
        }
        record.bytesSent = bytes;
        record.requests = requests;
        long covered = 0;
        for (Download.Range range : record.coverage) {
            covered += range.last - range.first + 1;
        }
        long size = record.file == null ? 0 : record.file.size;
        record.coveredBytes = covered;
        record.completed = Coverage.of(record.coverage.stream().map(r -> new Coverage.Interval(r.first, r.last))
                .toList()).complete(size) && requests > 0;
        record.percent = size <= 0 ? (record.completed ? 100.0 : 0.0)
                : Math.floor(covered * 10000.0 / size) / 100.0;
        if (record.completed) {
            record.endReason = DownloadEndReason.COMPLETED;
            // one node saw it complete, or the union of several nodes' parts did at the latest activity
            record.endedAt = completedAt != null ? completedAt : lastActivity;
        } else if (anyOpen || lastClosed == null) {
            record.endReason = null;
            record.endedAt = null;
        } else {
            record.endReason = lastClosed.endReason;
            record.endedAt = lastActivity;
        }
        record.lastActivityAt = lastActivity != null ? lastActivity : record.startedAt;
        record.deliveries = size > 0 ? bytes / size : record.completed ? 1 : 0;
        record.duration = record.endedAt == null || record.startedAt == null ? null
                : Math.max(0, Duration.between(record.startedAt, record.endedAt).toMillis());
        if (record.startedAt != null) {
            record.day = TrackedDownload.DAY.format(record.startedAt);
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private static int compare(Instant a, Instant b) {
        return a == null ? (b == null ? 0 : -1) : b == null ? 1 : a.compareTo(b);
    }
}
