package io.smprotocol.downloads.runtime.http;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.smprotocol.download.DownloadEnd;
import io.smprotocol.download.DownloadEndReason;
import io.smprotocol.download.DownloadRequest;
import io.smprotocol.runtime.server.CommandStatistics;

/**
 * What {@code GET /q/smprotocol/protocols/download/stats} reports, counted as each request ends: per HTTP method the
 * protocols' per-command figures (requests, file bytes sent, error answers, and the request's duration as its
 * latency: for a download, the whole transfer), and counts by status and by end reason. Methods are bounded as verbs
 * are; statuses and reasons are the listener's own, so nothing a client sends can grow these maps.
 */
final class RequestStatistics {

    private final CommandStatistics perMethod = new CommandStatistics();
    private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final Map<DownloadEndReason, LongAdder> byReason = new ConcurrentHashMap<>();

    void ended(DownloadRequest request, DownloadEnd end) {
        String method = perMethod.bounded(request.method() == null ? CommandStatistics.OTHER : request.method());
        perMethod.received(method, 1, end.bytesWritten());
        long nanos = end.duration() == null ? 0 : Math.max(0, end.duration().toNanos());
        perMethod.answered(method, 1, request.status() >= 400 ? 1 : 0, nanos, nanos);
        byStatus.computeIfAbsent(request.status(), status -> new LongAdder()).increment();
        if (end.reason() != null) {
            byReason.computeIfAbsent(end.reason(), reason -> new LongAdder()).increment();
        }
    }

    CommandStatistics perMethod() {
        return perMethod;
    }

    /** @return {@code byStatus} and {@code byEndReason}, in a stable order */
    Map<String, Object> details() {
        Map<String, Long> statuses = new TreeMap<>();
        byStatus.forEach((status, count) -> statuses.put(String.valueOf(status), count.sum()));
        Map<DownloadEndReason, Long> inOrder = new EnumMap<>(DownloadEndReason.class);
        byReason.forEach((reason, count) -> inOrder.put(reason, count.sum()));
        Map<String, Long> reasons = new LinkedHashMap<>();
        inOrder.forEach((reason, count) -> reasons.put(reason.name(), count));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("byStatus", statuses);
        details.put("byEndReason", reasons);
        return details;
    }
}
