package io.smprotocol.downloads.runtime.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smprotocol.download.DownloadEndReason;

class TrackingJournalTest {

    @TempDir
    Path dir;

    static Download record(String id, long version, boolean open) {
        Download record = DownloadsMergeTest.contribution("n~1", version, open, 0, 99, 100, 1,
                DownloadEndReason.COMPLETED, 0);
        record.id = id;
        return record;
    }

    @Test
    void replaysTheLatestStateAndTheAcknowledgements() {
        TrackingJournal journal = new TrackingJournal(dir, 1 << 20);
        assertThat(journal.open().downloads()).isEmpty();
        journal.append(JournalEntry.download(record("a", 1, true)));
        journal.append(JournalEntry.download(record("a", 2, false)));
        journal.append(JournalEntry.download(record("b", 1, true)));
        journal.append(JournalEntry.ack("a", 2));
        RequestRecord head = new RequestRecord();
        head.id = "n~1:9";
        head.status = 404;
        journal.append(JournalEntry.request(head));
        journal.close();

        TrackingJournal.Replay replay = new TrackingJournal(dir, 1 << 20).open();
        assertThat(replay.downloads()).containsOnlyKeys("a", "b");
        assertThat(replay.downloads().get("a").parts.get("n~1").version).isEqualTo(2);
        assertThat(replay.downloads().get("b").parts.get("n~1").open).isTrue();
        assertThat(replay.acknowledged()).containsEntry("a", 2L);
        assertThat(replay.requests()).containsOnlyKeys("n~1:9");
        assertThat(replay.entries()).isEqualTo(5);
    }

    @Test
    void skipsALineCutShortByACrash() throws IOException {
        TrackingJournal journal = new TrackingJournal(dir, 1 << 20);
        journal.open();
        journal.append(JournalEntry.download(record("a", 1, true)));
        journal.close();
        Files.writeString(dir.resolve(TrackingJournal.FILE), "{\"seq\":2,\"op\":\"download\",\"downl",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        TrackingJournal.Replay replay = new TrackingJournal(dir, 1 << 20).open();
        assertThat(replay.downloads()).containsOnlyKeys("a");
        assertThat(replay.unreadable()).isEqualTo(1);
    }

    @Test
    void compactionKeepsOnlyWhatIsStillNeeded() throws IOException {
        TrackingJournal journal = new TrackingJournal(dir, 64 * 1024);
        journal.open();
        for (int i = 0; i < 200; i++) {
            journal.append(JournalEntry.download(record("d" + i, 1, false)));
        }
        journal.flush();
        assertThat(journal.wantsCompaction()).isTrue();
        long before = journal.size();
        journal.compact(List.of(JournalEntry.download(record("d199", 1, false))));
        assertThat(journal.size()).isLessThan(before / 50);
        assertThat(journal.full()).isFalse();
        journal.append(JournalEntry.download(record("e", 1, true)));
        journal.close();
        TrackingJournal.Replay replay = new TrackingJournal(dir, 64 * 1024).open();
        assertThat(replay.downloads()).containsOnlyKeys("d199", "e");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly(TrackingJournal.FILE);
    }

    @Test
    void aFullJournalStopsGrowingUntilACompactionBringsItUnderItsBound() {
        TrackingJournal journal = new TrackingJournal(dir, 16 * 1024);
        journal.open();
        List<JournalEntry> live = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            JournalEntry entry = JournalEntry.download(record("d" + i, 1, true));
            live.add(entry);
            journal.append(entry);
        }
        journal.flush();
        // nothing acknowledged: compaction cannot help
        journal.compact(live);
        assertThat(journal.full()).isTrue();
        long size = journal.size();
        assertThat(journal.append(JournalEntry.download(record("x", 1, true)))).isFalse();
        journal.flush();
        assertThat(journal.size()).isEqualTo(size);
        // acknowledged at last: under the bound, growing again
        journal.compact(live.subList(0, 2));
        assertThat(journal.full()).isFalse();
        assertThat(journal.append(JournalEntry.download(record("y", 1, true)))).isTrue();
        journal.close();
    }
}
