package io.smprotocol.downloads.runtime.tracking;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.smprotocol.download.DownloadEndReason;

/**
 * What this node knows of one logical download: the state {@link LogicalDownloads} works on. {@link #record()} turns
 * it into the {@link Download} this node contributes (one part); the journal stores that record and
 * {@link #from(Download, String, int)} rebuilds the state from it at the next start.
 * <p>
 * Its records only ever grow: {@link #record()} never gives less coverage, fewer bytes or fewer requests than the
 * record it gave before, whatever happened in between (a request in flight whose progress was counted and whose end
 * then reported fewer bytes).
 */
final class TrackedDownload {

    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    final String id;
    final String partKey;
    final String node;
    final Download.FileRef file;
    final Download.Client client;
    final Instant startedAt;
    final Coverage coverage;
    final List<Download.RequestEntry> requestList;
    /** The bound of the request list. */
    final int maxRequests;

    long bytesSent;
    /** Requests that ended. */
    int requests;
    /** The requests in flight, by request id: their entry (no end yet), ranges and the bytes they delivered so far. */
    final Map<Long, InFlight> inFlight = new LinkedHashMap<>();
    Instant lastActivity;
    Instant completedAt;
    /** How the last request that ended ended. */
    DownloadEndReason lastReason;
    /** A request of the same client and file was refused after the last download request ended. */
    boolean refusedLast;
    /** Every request that ended was answered in full. */
    boolean allAnswered = true;
    DownloadEndReason endReason;
    Instant endedAt;
    long version;
    /** When its state last went to the journal ({@link System#nanoTime()}), 0 before the first time. */
    long lastWritten;
    /**
     * What the requests in flight when the process died had still to send, beyond the progress journaled last (read
     * back at start): where the client resumes tells how much of it it got.
     */
    final List<Unsent> unsent = new ArrayList<>();
    /** The last record made: the next one never shows less. */
    private Download previous;

    TrackedDownload(String id, String partKey, String node, Download.FileRef file, Download.Client client,
            Instant startedAt, int maxRequests) {
        this.id = id;
        this.maxRequests = maxRequests;
        this.partKey = partKey;
        this.node = node;
        this.file = file;
        this.client = client;
        this.startedAt = startedAt;
        this.lastActivity = startedAt;
        this.coverage = new Coverage();
        this.requestList = new ArrayList<>();
    }

    /**
     * A request in flight.
     *
     * @param entry its entry, without end or reason
     * @param ranges the ranges it sends, in order
     * @param progress the bytes it delivered so far, as last counted
     */
    record InFlight(Download.RequestEntry entry, List<Coverage.Interval> ranges, long progress) {
    }

    /**
     * The part of a range an interrupted request had not been seen sending.
     *
     * @param entry the request's entry
     * @param first the first byte not seen sent
     * @param last the range's last byte
     */
    record Unsent(Download.RequestEntry entry, long first, long last) {
    }

    boolean open() {
        return endReason == null;
    }

    /**
     * A request of the download starts at {@code resumeAt} after the process died in the middle of another: a client
     * resuming there ({@code curl -C -}, {@code wget -c}) received everything before it, so the bytes the interrupted
     * request was sending between its last journaled progress and that point are counted as delivered by it.
     *
     * @return whether anything was counted
     */
    boolean resumedAt(long resumeAt) {
        boolean counted = false;
        for (Unsent gap : unsent) {
            if (gap.first() < resumeAt && resumeAt <= gap.last() + 1) {
                long bytes = resumeAt - gap.first();
                coverage.add(gap.first(), resumeAt - 1);
                bytesSent += bytes;
                gap.entry().bytes += bytes;
                counted = true;
            }
        }
        unsent.clear();
        if (counted && completedAt == null && coverage.complete(file.size)) {
            completedAt = lastActivity;
        }
        return counted;
    }

    boolean completed() {
        return completedAt != null;
    }

    /**
     * @param entry the request, ended
     * @param delivered the file bytes it delivered
     */
    void requestEnded(Download.RequestEntry entry, List<Coverage.Interval> delivered) {
        requests++;
        bytesSent += entry.bytes;
        for (Coverage.Interval interval : delivered) {
            coverage.add(interval.first(), interval.last());
        }
        if (requestList.size() < maxRequests) {
            requestList.add(entry);
        }
        lastReason = entry.reason;
        allAnswered &= entry.reason == DownloadEndReason.COMPLETED;
        refusedLast = false;
        activity(entry.end);
        if (completedAt == null && coverage.complete(file.size)) {
            completedAt = entry.end;
        }
        version++;
    }

    void activity(Instant at) {
        if (at != null && (lastActivity == null || at.isAfter(lastActivity))) {
            lastActivity = at;
        }
    }

    /** @return why it ends when nobody resumed it within the session window */
    DownloadEndReason idleReason() {
        if (completed()) {
            return DownloadEndReason.COMPLETED;
        }
        if (refusedLast) {
            return DownloadEndReason.REJECTED;
        }
        if (requests > 0 && allAnswered) {
            // every request got what it asked, but not the whole file: a reader of ranges
            return DownloadEndReason.PARTIAL;
        }
        if (lastReason == null || lastReason == DownloadEndReason.COMPLETED) {
            // the client dropped some request and stopped asking
            return DownloadEndReason.CLIENT_ABORTED;
        }
        return lastReason;
    }

    void close(DownloadEndReason reason) {
        endReason = reason;
        endedAt = completedAt != null ? completedAt : lastActivity;
        for (Download.RequestEntry entry : requestList) {
            // requests that were in flight when the process died (read back from the journal)
            if (entry.reason == null) {
                entry.reason = reason;
                entry.end = lastActivity;
                allAnswered = false;
                unsent(entry);
            }
        }
        version++;
    }

    private void unsent(Download.RequestEntry entry) {
        // one range only: a multipart body's bytes cannot be placed by a resume
        if (entry.range == null || entry.range.indexOf(',') >= 0) {
            return;
        }
        int dash = entry.range.indexOf('-');
        try {
            long first = Long.parseLong(entry.range.substring(0, dash));
            long last = Long.parseLong(entry.range.substring(dash + 1));
            if (first + entry.bytes <= last) {
                unsent.add(new Unsent(entry, first + entry.bytes, last));
            }
        } catch (RuntimeException e) {
            // not a range this class wrote
        }
    }

    /** A client asked again after it was closed (within the window): the same download goes on. */
    void reopen() {
        endReason = null;
        endedAt = null;
        version++;
    }

    /** @return this node's view of the download as a record with a single part */
    Download record() {
        Coverage covered = coverage.copy();
        long sent = bytesSent;
        int count = requests;
        List<Download.RequestEntry> list = new ArrayList<>(requestList);
        for (InFlight flight : inFlight.values()) {
            // what a request in flight delivered so far counts, so that a crash loses none of it
            for (Coverage.Interval interval : delivered(flight.ranges(), flight.progress())) {
                covered.add(interval.first(), interval.last());
            }
            sent += flight.progress();
            count++;
            if (list.size() < maxRequests) {
                Download.RequestEntry entry = copy(flight.entry());
                entry.bytes = flight.progress();
                list.add(entry);
            }
        }
        if (previous != null) {
            // never less than before: a write that would shrink the record keeps what it showed
            for (Download.Range range : previous.coverage) {
                covered.add(range.first, range.last);
            }
            Download.Part before = previous.parts.get(partKey);
            sent = Math.max(sent, before.bytesSent);
            count = Math.max(count, before.requests);
        }
        Download record = new Download();
        record.id = id;
        record.file = file;
        record.client = client;
        record.node = node;
        record.startedAt = startedAt;
        record.day = DAY.format(startedAt);
        record.requestList = list;
        record.coverage = new ArrayList<>(covered.intervals().stream()
                .map(i -> new Download.Range(i.first(), i.last())).toList());
        Download.Part part = new Download.Part();
        part.node = node;
        part.requests = count;
        part.bytesSent = sent;
        part.open = open();
        part.completedAt = completedAt;
        part.lastActivity = lastActivity;
        part.endReason = endReason;
        part.version = version;
        part.inFlight = inFlight.size();
        part.lastReason = lastReason;
        part.refusedLast = refusedLast;
        part.allAnswered = allAnswered;
        record.parts.put(partKey, part);
        Downloads.derive(record);
        previous = record;
        return record;
    }

    /**
     * Rebuilds the state from a record this node journaled.
     *
     * @param record a record with this node's part
     * @param partKey the part
     * @param maxRequests the bound of the request list
     * @return the state, with what was in flight counted among what ended (its requests' entries have no end yet)
     */
    static TrackedDownload from(Download record, String partKey, int maxRequests) {
        Download.Part part = record.parts.get(partKey);
        TrackedDownload state = new TrackedDownload(record.id, partKey, part.node, record.file, record.client,
                record.startedAt, maxRequests);
        state.coverage.addAll(Coverage.of(record.coverage.stream()
                .map(r -> new Coverage.Interval(r.first, r.last)).toList()));
        state.requestList.addAll(record.requestList);
        state.bytesSent = part.bytesSent;
        state.requests = part.requests;
        state.lastActivity = part.lastActivity;
        state.completedAt = part.completedAt;
        state.endReason = part.endReason;
        state.endedAt = record.endedAt;
        state.version = part.version;
        state.lastReason = part.lastReason;
        state.refusedLast = part.refusedLast;
        state.allAnswered = part.allAnswered == null ? state.requestList.stream()
                .allMatch(e -> e.reason == DownloadEndReason.COMPLETED) : part.allAnswered;
        state.previous = record;
        return state;
    }

    /**
     * @param record a record this node journaled
     * @param partKey its part
     * @return whether requests of it were in flight when it was written
     */
    static boolean hadRequestsInFlight(Download record, String partKey) {
        Download.Part part = record.parts.get(partKey);
        return part.inFlight > 0 || record.requestList.stream().anyMatch(e -> e.reason == null);
    }

    /**
     * @param ranges the ranges of a response, in the order sent
     * @param bytes how many of their bytes went out, from the first
     * @return the intervals of the file those bytes are
     */
    static List<Coverage.Interval> delivered(List<Coverage.Interval> ranges, long bytes) {
        List<Coverage.Interval> delivered = new ArrayList<>();
        long left = bytes;
        for (Coverage.Interval range : ranges) {
            if (left <= 0) {
                break;
            }
            long length = range.last() - range.first() + 1;
            long taken = Math.min(length, left);
            delivered.add(new Coverage.Interval(range.first(), range.first() + taken - 1));
            left -= taken;
        }
        return delivered;
    }

    static Download.RequestEntry copy(Download.RequestEntry entry) {
        Download.RequestEntry copy = new Download.RequestEntry();
        copy.key = entry.key;
        copy.range = entry.range;
        copy.status = entry.status;
        copy.bytes = entry.bytes;
        copy.start = entry.start;
        copy.end = entry.end;
        copy.reason = entry.reason;
        return copy;
    }
}
