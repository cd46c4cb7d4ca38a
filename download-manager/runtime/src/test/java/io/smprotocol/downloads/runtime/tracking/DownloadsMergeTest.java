package io.smprotocol.downloads.runtime.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.smprotocol.download.DownloadEndReason;

/** Merging contributions is idempotent and commutative: retries and replicas never duplicate or lose anything. */
class DownloadsMergeTest {

    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    static Download contribution(String part, long version, boolean open, long first, long last, long bytes,
            int requests, DownloadEndReason reason, int second) {
        Download record = new Download();
        record.id = "d1";
        record.file = new Download.FileRef("/f.bin", 1000, "\"e\"");
        record.client = new Download.Client();
        record.client.ip = "192.0.2.1";
        record.node = part;
        record.startedAt = T0.plusSeconds(second);
        record.coverage = new java.util.ArrayList<>(List.of(new Download.Range(first, last)));
        for (int i = 0; i < requests; i++) {
            Download.RequestEntry entry = new Download.RequestEntry();
            entry.key = part + ":" + i;
            entry.start = T0.plusSeconds(second + i);
            entry.bytes = bytes / requests;
            record.requestList.add(entry);
        }
        Download.Part p = new Download.Part();
        p.node = part;
        p.open = open;
        p.requests = requests;
        p.bytesSent = bytes;
        p.version = version;
        p.endReason = open ? null : reason;
        p.lastActivity = T0.plusSeconds(second + 10);
        record.parts.put(part, p);
        Downloads.derive(record);
        return record;
    }

    @Test
    void writingTheSameContributionTwiceChangesNothing() {
        Download a = contribution("a", 3, false, 0, 499, 700, 2, DownloadEndReason.CLIENT_ABORTED, 0);
        Download once = Downloads.merge(null, a, 100);
        Download twice = Downloads.merge(once, a, 100);
        assertThat(twice.bytesSent).isEqualTo(once.bytesSent).isEqualTo(700);
        assertThat(twice.requests).isEqualTo(2);
        assertThat(twice.requestList).hasSize(2);
        assertThat(twice.coveredBytes).isEqualTo(500);
        assertThat(twice.percent).isEqualTo(50.0);
        assertThat(twice.completed).isFalse();
        assertThat(twice.endReason).isEqualTo(DownloadEndReason.CLIENT_ABORTED);
        assertThat(twice.revision).isEqualTo(once.revision + 1);
    }

    @Test
    void theLastActivityIsTheLatestOfEveryNodeAndDeliveriesCountWholeFiles() {
        Download a = contribution("a", 2, false, 0, 999, 1000, 1, DownloadEndReason.COMPLETED, 0);
        Download b = contribution("b", 5, true, 0, 999, 1500, 2, null, 30);
        Download merged = Downloads.merge(Downloads.merge(null, a, 100), b, 100);
        // part b made progress last (its lastActivity is 30 s + 10 s after T0), though it is still open
        assertThat(merged.lastActivityAt).isEqualTo(T0.plusSeconds(40));
        assertThat(merged.bytesSent).isEqualTo(2500);
        assertThat(merged.deliveries).isEqualTo(2);

        Download fresh = contribution("c", 1, true, 0, 9, 10, 1, null, 0);
        fresh.parts.get("c").lastActivity = null;
        Downloads.derive(fresh);
        assertThat(fresh.lastActivityAt).as("no activity yet: its start").isEqualTo(fresh.startedAt);
        assertThat(fresh.deliveries).isZero();
    }

    @Test
    void twoNodesCompleteADownloadTogetherInAnyOrder() {
        Download a = contribution("a", 2, false, 0, 499, 500, 1, DownloadEndReason.COMPLETED, 0);
        Download b = contribution("b", 5, false, 500, 999, 600, 3, DownloadEndReason.CLIENT_ABORTED, 1);
        Download ab = Downloads.merge(Downloads.merge(null, a, 100), b, 100);
        Download ba = Downloads.merge(Downloads.merge(null, b, 100), a, 100);
        for (Download merged : List.of(ab, ba)) {
            assertThat(merged.completed).isTrue();
            assertThat(merged.endReason).isEqualTo(DownloadEndReason.COMPLETED);
            assertThat(merged.coveredBytes).isEqualTo(1000);
            assertThat(merged.bytesSent).isEqualTo(1100);
            assertThat(merged.requests).isEqualTo(4);
            assertThat(merged.startedAt).isEqualTo(T0);
            assertThat(merged.requestList).extracting(e -> e.key).containsExactly("a:0", "b:0", "b:1", "b:2");
        }
    }

    @Test
    void anOlderStateNeverReplacesANewerOne() {
        Download newer = contribution("a", 7, false, 0, 599, 600, 2, DownloadEndReason.IDLE_TIMEOUT, 0);
        Download older = contribution("a", 4, true, 0, 299, 300, 1, null, 0);
        Download merged = Downloads.merge(Downloads.merge(null, newer, 100), older, 100);
        assertThat(merged.bytesSent).isEqualTo(600);
        assertThat(merged.endReason).isEqualTo(DownloadEndReason.IDLE_TIMEOUT);
        assertThat(merged.duration).isNotNull();
    }

    @Test
    void theRequestListIsBoundedToTheFirstRequests() {
        Download a = contribution("a", 1, true, 0, 9, 50, 5, null, 0);
        Download b = contribution("b", 1, true, 10, 19, 50, 5, null, 2);
        Download merged = Downloads.merge(Downloads.merge(null, a, 3), b, 3);
        assertThat(merged.requestList).extracting(e -> e.key).containsExactly("a:0", "a:1", "a:2");
        assertThat(merged.requests).isEqualTo(10);
        assertThat(merged.endReason).isNull();
        assertThat(merged.endedAt).isNull();
        // again: the same list
        assertThat(Downloads.merge(merged, b, 3).requestList).extracting(e -> e.key)
                .containsExactly("a:0", "a:1", "a:2");
    }
}
