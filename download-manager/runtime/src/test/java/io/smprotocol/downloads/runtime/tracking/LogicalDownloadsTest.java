package io.smprotocol.downloads.runtime.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.smprotocol.download.ByteRange;
import io.smprotocol.download.ClientAddress;
import io.smprotocol.download.Delivery;
import io.smprotocol.download.DownloadEnd;
import io.smprotocol.download.DownloadEndReason;
import io.smprotocol.download.DownloadRequest;
import io.smprotocol.download.FileInfo;

/**
 * The logical-download state machine on its own: every transition and end reason, a shutdown and the start after a
 * crash or a shutdown, with times given by the test.
 */
class LogicalDownloadsTest {

    static final Duration WINDOW = Duration.ofMinutes(30);
    static final long SIZE = 10_000;
    static final FileInfo FILE = new FileInfo(Path.of("/srv/f.bin"), "/f.bin", "f.bin", SIZE, 0, "\"e1\"",
            "application/octet-stream");
    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    /** What the machine decided, in order. */
    final List<String> log = new ArrayList<>();
    /** The latest record written of each download. */
    final Map<String, Download> written = new LinkedHashMap<>();
    final List<RequestRecord> requests = new ArrayList<>();
    /** The download id a client has now, as the session store would tell it. */
    final Map<String, String> currentIds = new HashMap<>();
    long requestIds;
    LogicalDownloads machine;

    @BeforeEach
    void setUp() {
        machine = machine("node~run1");
    }

    LogicalDownloads machine(String partKey) {
        return new LogicalDownloads(partKey, "node", WINDOW, 100, client -> client.addressType = "LOOPBACK",
                request -> currentIds.get(request.userAgent()), new LogicalDownloads.Outcomes() {
                    @Override
                    public void changed(TrackedDownload download) {
                        Download record = download.record();
                        Download before = written.get(record.id);
                        if (before != null) {
                            // a record never shows less than a state of itself written before
                            assertThat(record.coveredBytes).isGreaterThanOrEqualTo(before.coveredBytes);
                            assertThat(record.bytesSent).isGreaterThanOrEqualTo(before.bytesSent);
                            assertThat(record.requests).isGreaterThanOrEqualTo(before.requests);
                        }
                        assertThat(record.coveredBytes).isLessThanOrEqualTo(record.bytesSent);
                        written.put(record.id, record);
                    }

                    @Override
                    public void started(TrackedDownload download) {
                        log.add("started " + download.id);
                    }

                    @Override
                    public void completed(TrackedDownload download) {
                        log.add("completed " + download.id);
                    }

                    @Override
                    public void stopped(TrackedDownload download, DownloadEndReason reason) {
                        log.add("stopped " + download.id + " " + reason);
                    }

                    @Override
                    public void request(RequestRecord record) {
                        requests.add(record);
                    }
                });
    }

    DownloadRequest get(String downloadId, Instant at, long first, long last) {
        boolean whole = first == 0 && last == SIZE - 1;
        return new DownloadRequest(++requestIds, downloadId, at, "GET", "/f.bin",
                new ClientAddress("127.0.0.1", 40000, "127.0.0.1", false), "agent-" + downloadId,
                whole ? null : "bytes=" + first + "-" + last, FILE, whole ? 200 : 206,
                List.of(new ByteRange(first, last)), last - first + 1, Delivery.DISK_BLOCKS);
    }

    DownloadRequest refused(String agent, Instant at, int status) {
        return new DownloadRequest(++requestIds, "fresh-" + requestIds, at, "GET", "/f.bin",
                new ClientAddress("127.0.0.1", 40000, "127.0.0.1", false), agent, null, FILE, status, List.of(), 0,
                Delivery.NONE);
    }

    static DownloadEnd end(DownloadEndReason reason, long bytes, Instant at) {
        return new DownloadEnd(reason, bytes, at, Duration.ZERO, null);
    }

    Download record(String id) {
        return written.get(id);
    }

    @Test
    void aWholeFileInOneRequestCompletes() {
        DownloadRequest request = get("d1", T0, 0, SIZE - 1);
        machine.requested(request);
        assertThat(record("d1").inProgress()).isTrue();
        machine.ended(request, end(DownloadEndReason.COMPLETED, SIZE, T0.plusSeconds(1)));

        Download done = record("d1");
        assertThat(done.completed).isTrue();
        assertThat(done.endReason).isEqualTo(DownloadEndReason.COMPLETED);
        assertThat(done.coveredBytes).isEqualTo(SIZE);
        assertThat(done.endedAt).isEqualTo(T0.plusSeconds(1));
        assertThat(log).containsExactly("started d1", "completed d1");
    }

    @Test
    void aPausedDownloadResumedWithARangeCompletesAsOneRecord() {
        DownloadRequest first = get("d1", T0, 0, SIZE - 1);
        machine.requested(first);
        machine.progressed(first, 3000, T0.plusSeconds(1));
        assertThat(record("d1").coveredBytes).isEqualTo(3000);
        machine.ended(first, end(DownloadEndReason.CLIENT_ABORTED, 4000, T0.plusSeconds(2)));
        assertThat(record("d1").inProgress()).as("waits for a resume").isTrue();

        DownloadRequest resume = get("d1", T0.plusSeconds(60), 4000, SIZE - 1);
        machine.requested(resume);
        machine.ended(resume, end(DownloadEndReason.COMPLETED, SIZE - 4000, T0.plusSeconds(70)));

        Download done = record("d1");
        assertThat(done.completed).isTrue();
        assertThat(done.requests).isEqualTo(2);
        assertThat(done.bytesSent).isEqualTo(SIZE);
        assertThat(done.requestList).extracting(r -> r.reason).containsExactly(DownloadEndReason.CLIENT_ABORTED,
                DownloadEndReason.COMPLETED);
        assertThat(log).containsExactly("started d1", "completed d1");
    }

    @Test
    void anAbandonedDownloadEndsAWindowLaterWithItsLastRequestsReason() {
        for (DownloadEndReason reason : List.of(DownloadEndReason.CLIENT_ABORTED, DownloadEndReason.IDLE_TIMEOUT,
                DownloadEndReason.SERVER_RESTART, DownloadEndReason.ERROR)) {
            String id = "d-" + reason;
            DownloadRequest request = get(id, T0, 0, SIZE - 1);
            machine.requested(request);
            machine.ended(request, end(reason, 100, T0.plusSeconds(1)));
        }
        machine.tick(T0.plus(WINDOW));
        assertThat(written.values()).allSatisfy(d -> assertThat(d.inProgress()).isTrue());

        machine.tick(T0.plus(WINDOW).plusSeconds(2));
        for (DownloadEndReason reason : List.of(DownloadEndReason.CLIENT_ABORTED, DownloadEndReason.IDLE_TIMEOUT,
                DownloadEndReason.SERVER_RESTART, DownloadEndReason.ERROR)) {
            assertThat(record("d-" + reason).endReason).isEqualTo(reason);
            assertThat(record("d-" + reason).coveredBytes).isEqualTo(100);
            assertThat(log).contains("stopped d-" + reason + " " + reason);
        }
    }

    @Test
    void rangesAnsweredInFullThatNeverCoverTheFileEndPartial() {
        DownloadRequest a = get("d1", T0, 0, 999);
        machine.requested(a);
        machine.ended(a, end(DownloadEndReason.COMPLETED, 1000, T0.plusSeconds(1)));
        DownloadRequest b = get("d1", T0.plusSeconds(5), 5000, 5999);
        machine.requested(b);
        machine.ended(b, end(DownloadEndReason.COMPLETED, 1000, T0.plusSeconds(6)));

        machine.tick(T0.plus(WINDOW).plusSeconds(7));
        assertThat(record("d1").endReason).isEqualTo(DownloadEndReason.PARTIAL);
        assertThat(record("d1").coveredBytes).isEqualTo(2000);
        assertThat(log).containsExactly("started d1", "stopped d1 PARTIAL");
    }

    @Test
    void aDroppedRequestFollowedByAnsweredRangesThatNeverCoverTheFileIsClientAborted() {
        DownloadRequest a = get("d1", T0, 0, SIZE - 1);
        machine.requested(a);
        machine.ended(a, end(DownloadEndReason.CLIENT_ABORTED, 1000, T0.plusSeconds(1)));
        DownloadRequest b = get("d1", T0.plusSeconds(5), 5000, 5999);
        machine.requested(b);
        machine.ended(b, end(DownloadEndReason.COMPLETED, 1000, T0.plusSeconds(6)));

        machine.tick(T0.plus(WINDOW).plusSeconds(7));
        assertThat(record("d1").endReason).isEqualTo(DownloadEndReason.CLIENT_ABORTED);
    }

    @Test
    void aRefusedRetryEndsTheDownloadRejectedAndIsRecordedAsARequestOfIt() {
        DownloadRequest a = get("d1", T0, 0, SIZE - 1);
        machine.requested(a);
        machine.ended(a, end(DownloadEndReason.CLIENT_ABORTED, 1000, T0.plusSeconds(1)));
        currentIds.put("agent-d1", "d1");
        DownloadRequest retry = refused("agent-d1", T0.plusSeconds(2), 503);
        machine.requested(retry);
        machine.ended(retry, end(DownloadEndReason.REJECTED, 0, T0.plusSeconds(2)));

        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.status).isEqualTo(503);
            assertThat(r.downloadId).isEqualTo("d1");
        });
        machine.tick(T0.plus(WINDOW).plusSeconds(3));
        assertThat(record("d1").endReason).isEqualTo(DownloadEndReason.REJECTED);
        assertThat(record("d1").requests).as("a refusal is no request of the download").isEqualTo(1);
    }

    @Test
    void aCompletedDownloadAskedAgainWithinTheWindowIsTheSameDownloadCompletedOnce() {
        DownloadRequest a = get("d1", T0, 0, SIZE - 1);
        machine.requested(a);
        machine.ended(a, end(DownloadEndReason.COMPLETED, SIZE, T0.plusSeconds(1)));
        DownloadRequest again = get("d1", T0.plusSeconds(30), 0, 99);
        machine.requested(again);
        assertThat(record("d1").completed).as("a complete record stays complete").isTrue();
        assertThat(machine.get("d1").open()).isTrue();
        machine.ended(again, end(DownloadEndReason.COMPLETED, 100, T0.plusSeconds(31)));

        assertThat(record("d1").endReason).isEqualTo(DownloadEndReason.COMPLETED);
        assertThat(record("d1").requests).isEqualTo(2);
        assertThat(record("d1").bytesSent).isEqualTo(SIZE + 100);
        assertThat(log).containsExactly("started d1", "completed d1");
    }

    @Test
    void anIdLongForgottenStartsARecordOfItsOwn() {
        DownloadRequest a = get("d1", T0, 0, SIZE - 1);
        machine.requested(a);
        machine.ended(a, end(DownloadEndReason.COMPLETED, SIZE, T0.plusSeconds(1)));
        machine.tick(T0.plus(WINDOW.multipliedBy(2)).plusSeconds(2));
        assertThat(machine.get("d1")).isNull();

        machine.requested(get("d1", T0.plus(WINDOW.multipliedBy(3)), 0, SIZE - 1));
        assertThat(log).hasSize(3);
        assertThat(log.get(2)).startsWith("started ").isNotEqualTo("started d1");
        assertThat(record("d1").completed).as("the old record is left alone").isTrue();
    }

    @Test
    void shutdownCountsWhatRequestsInFlightDeliveredAndKeepsTheReasonOfTheOthers() {
        DownloadRequest cut = get("cut", T0, 0, SIZE - 1);
        machine.requested(cut);
        machine.progressed(cut, 2500, T0.plusSeconds(1));
        DownloadRequest drained = get("drained", T0, 0, SIZE - 1);
        machine.requested(drained);
        // the listener's drain cut it: its end came before the tracker's shutdown
        machine.ended(drained, end(DownloadEndReason.SERVER_SHUTDOWN, 1234, T0.plusSeconds(2)));
        DownloadRequest paused = get("paused", T0, 0, SIZE - 1);
        machine.requested(paused);
        machine.ended(paused, end(DownloadEndReason.IDLE_TIMEOUT, 700, T0.plusSeconds(1)));

        machine.shutdown(T0.plusSeconds(3));

        assertThat(record("cut").endReason).isEqualTo(DownloadEndReason.SERVER_SHUTDOWN);
        assertThat(record("cut").coveredBytes).isEqualTo(2500);
        assertThat(record("cut").requestList).singleElement().satisfies(r -> {
            assertThat(r.reason).isEqualTo(DownloadEndReason.SERVER_SHUTDOWN);
            assertThat(r.bytes).isEqualTo(2500);
            assertThat(r.end).isEqualTo(T0.plusSeconds(3));
        });
        assertThat(record("drained").endReason).isEqualTo(DownloadEndReason.SERVER_SHUTDOWN);
        assertThat(record("drained").coveredBytes).isEqualTo(1234);
        assertThat(record("paused").endReason).isEqualTo(DownloadEndReason.IDLE_TIMEOUT);
    }

    @Test
    void aDownloadWithARequestInFlightWhenTheProcessDiedIsInterruptedAndCompletesWhenResumed() {
        DownloadRequest first = get("d1", T0, 0, SIZE - 1);
        machine.requested(first);
        machine.progressed(first, 4096, T0.plusSeconds(2));
        Download journaled = record("d1");
        // kill -9; the next run reads the journal
        written.clear();
        LogicalDownloads next = machine("node~run2");
        Instant restart = T0.plusSeconds(20);

        TrackedDownload recovered = next.recovered(journaled, restart);
        assertThat(recovered).isNotNull();
        assertThat(record("d1").endReason).isEqualTo(DownloadEndReason.INTERRUPTED);
        assertThat(record("d1").coveredBytes).isEqualTo(4096);
        assertThat(record("d1").requestList).singleElement()
                .satisfies(r -> assertThat(r.reason).isEqualTo(DownloadEndReason.INTERRUPTED));
        assertThat(log).containsExactly("started d1", "stopped d1 INTERRUPTED");

        // the client got 6000 bytes: the last 1904 went out after the last progress journaled
        DownloadRequest resume = get("d1", restart.plusSeconds(1), 6000, SIZE - 1);
        next.requested(resume);
        assertThat(record("d1").inProgress()).isTrue();
        assertThat(record("d1").coveredBytes).isEqualTo(6000);
        next.ended(resume, end(DownloadEndReason.COMPLETED, SIZE - 6000, restart.plusSeconds(5)));

        Download done = record("d1");
        assertThat(done.completed).isTrue();
        assertThat(done.endReason).isEqualTo(DownloadEndReason.COMPLETED);
        assertThat(done.coverage).singleElement().satisfies(r -> {
            assertThat(r.first).isZero();
            assertThat(r.last).isEqualTo(SIZE - 1);
        });
        assertThat(done.requests).isEqualTo(2);
        assertThat(done.bytesSent).isEqualTo(SIZE);
        assertThat(done.requestList).extracting(r -> r.bytes).containsExactly(6000L, SIZE - 6000);
        // the same part goes on, its versions growing: MongoDB takes every later state
        assertThat(done.parts).containsOnlyKeys("node~run1");
        assertThat(done.parts.get("node~run1").version).isGreaterThan(journaled.parts.get("node~run1").version);
        assertThat(log).containsExactly("started d1", "stopped d1 INTERRUPTED", "completed d1");
    }

    @Test
    void aResumeFromTheStartAfterACrashCountsNothingMoreForTheInterruptedRequest() {
        DownloadRequest first = get("d1", T0, 0, SIZE - 1);
        machine.requested(first);
        machine.progressed(first, 4096, T0.plusSeconds(2));
        Download journaled = record("d1");
        LogicalDownloads next = machine("node~run2");
        next.recovered(journaled, T0.plusSeconds(20));

        DownloadRequest again = get("d1", T0.plusSeconds(21), 0, SIZE - 1);
        next.requested(again);
        next.ended(again, end(DownloadEndReason.CLIENT_ABORTED, 100, T0.plusSeconds(22)));
        assertThat(record("d1").coveredBytes).isEqualTo(4096);
        assertThat(record("d1").bytesSent).isEqualTo(4196);
    }

    @Test
    void aDownloadWithNothingInFlightWhenTheProcessDiedKeepsItsOwnReason() {
        DownloadRequest idle = get("idle", T0, 0, SIZE - 1);
        machine.requested(idle);
        machine.ended(idle, end(DownloadEndReason.IDLE_TIMEOUT, 300, T0.plusSeconds(60)));
        DownloadRequest done = get("done", T0, 0, SIZE - 1);
        machine.requested(done);
        machine.ended(done, end(DownloadEndReason.COMPLETED, SIZE, T0.plusSeconds(5)));
        Download idleJournaled = record("idle");
        Download doneJournaled = record("done");
        written.clear();
        log.clear();
        LogicalDownloads next = machine("node~run2");

        next.recovered(idleJournaled, T0.plusSeconds(115));
        next.recovered(doneJournaled, T0.plusSeconds(115));
        assertThat(written).as("nothing changed").isEmpty();
        assertThat(log).isEmpty();

        next.tick(T0.plusSeconds(61).plus(WINDOW));
        assertThat(record("idle").endReason).isEqualTo(DownloadEndReason.IDLE_TIMEOUT);
        assertThat(log).containsExactly("stopped idle IDLE_TIMEOUT");
    }

    @Test
    void aDownloadIdleForLongerThanTheWindowWhenTheProcessStartsAgainEndsAtOnceWithItsOwnReason() {
        DownloadRequest idle = get("idle", T0, 0, SIZE - 1);
        machine.requested(idle);
        machine.ended(idle, end(DownloadEndReason.CLIENT_ABORTED, 300, T0.plusSeconds(1)));
        Download journaled = record("idle");
        written.clear();

        machine("node~run2").recovered(journaled, T0.plus(WINDOW).plusSeconds(10));
        assertThat(record("idle").endReason).isEqualTo(DownloadEndReason.CLIENT_ABORTED);
    }

    @Test
    void aDownloadCutByAShutdownIsResumedAfterTheStart() {
        DownloadRequest first = get("d1", T0, 0, SIZE - 1);
        machine.requested(first);
        machine.ended(first, end(DownloadEndReason.SERVER_SHUTDOWN, 6000, T0.plusSeconds(3)));
        machine.shutdown(T0.plusSeconds(3));
        Download journaled = record("d1");
        assertThat(journaled.endReason).isEqualTo(DownloadEndReason.SERVER_SHUTDOWN);
        log.clear();
        LogicalDownloads next = machine("node~run2");

        assertThat(next.recovered(journaled, T0.plusSeconds(10))).isNotNull();
        DownloadRequest resume = get("d1", T0.plusSeconds(11), 6000, SIZE - 1);
        next.requested(resume);
        next.ended(resume, end(DownloadEndReason.COMPLETED, SIZE - 6000, T0.plusSeconds(12)));

        assertThat(record("d1").completed).isTrue();
        assertThat(record("d1").endReason).isEqualTo(DownloadEndReason.COMPLETED);
        assertThat(record("d1").coveredBytes).isEqualTo(SIZE);
        assertThat(log).containsExactly("completed d1");
    }

    @Test
    void aRequestThatEndsWithFewerBytesThanItsProgressNeverShrinksTheRecord() {
        DownloadRequest request = get("d1", T0, 0, SIZE - 1);
        machine.requested(request);
        machine.progressed(request, 5000, T0.plusSeconds(1));
        machine.progressed(request, 4000, T0.plusSeconds(2));
        assertThat(record("d1").coveredBytes).isEqualTo(5000);
        // the end counts what the client received, less than what had gone to the kernel
        machine.ended(request, end(DownloadEndReason.CLIENT_ABORTED, 3000, T0.plusSeconds(3)));
        assertThat(record("d1").coveredBytes).isEqualTo(5000);
        assertThat(record("d1").bytesSent).isEqualTo(5000);
    }

    @Test
    void aRestartedListenersCutRequestIsContinuedByTheClientsReconnection() {
        DownloadRequest first = get("d1", T0, 0, SIZE - 1);
        machine.requested(first);
        machine.ended(first, end(DownloadEndReason.SERVER_RESTART, 5000, T0.plusSeconds(1)));
        DownloadRequest again = get("d1", T0.plusSeconds(2), 5000, SIZE - 1);
        machine.requested(again);
        machine.ended(again, end(DownloadEndReason.COMPLETED, 5000, T0.plusSeconds(3)));
        assertThat(record("d1").completed).isTrue();
        assertThat(log).containsExactly("started d1", "completed d1");
    }
}
