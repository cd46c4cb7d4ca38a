package io.smprotocol.downloads.runtime.tracking;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The local append-only journal every tracking record goes through before MongoDB: one JSON object per line in
 * {@code DIR/journal.jsonl} ({@link JournalEntry}). It is what makes tracking lose nothing: MongoDB may be away for
 * minutes, the process may be killed, the records are still on disk, and the next start replays them.
 * <p>
 * <b>Durability.</b> Entries are handed to the operating system with a {@code write} as soon as the tracker's queue
 * is empty, so a killed process ({@code kill -9}, a crash, an OOM kill) loses nothing that was observed; they are
 * forced to the disk ({@code fsync}) every {@code flush-interval} and at shutdown, so a power loss loses at most that
 * interval.
 * <p>
 * <b>Bounded size.</b> Once acknowledged by MongoDB, a closed download's entries are dead. When the file passes half
 * of {@code journal-max-size}, it is compacted: rewritten (to a temporary file, then renamed atomically) with one
 * entry per download still in progress or not yet acknowledged. If it is still over the bound after that, MongoDB
 * has been away for long: the journal stops growing, logs so, and keeps the entries in memory until acknowledgements
 * let a compaction bring it back under the bound, when everything in memory is written again.
 * <p>
 * Used by one thread only: the tracker's.
 */
final class TrackingJournal {

    private static final Logger LOG = Logger.getLogger("io.smprotocol.tracking");

    static final String FILE = "journal.jsonl";

    /** Content of a journal read back at start. */
    record Replay(Map<String, Download> downloads, Map<String, Long> acknowledged,
            Map<String, RequestRecord> requests, int entries, int unreadable) {
    }

    private final Path dir;
    private final Path file;
    private final long maxBytes;
    private final ObjectMapper json;
    private FileChannel channel;
    /** Appended entries are handed to the OS at least every this many bytes. */
    private static final int WRITE_THRESHOLD = 256 * 1024;
    private final java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
    private long size;
    private long seq;
    private boolean full;
    private long skipped;
    private long lastFullWarning;

    TrackingJournal(Path dir, long maxBytes) {
        this.dir = dir;
        this.file = dir.resolve(FILE);
        this.maxBytes = maxBytes;
        this.json = mapper();
    }

    static ObjectMapper mapper() {
        return new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * Opens the journal, creating its folder, and reads back what it holds.
     *
     * @return the latest state of each download, the acknowledged versions and the requests not acknowledged
     * @throws UncheckedIOException when the folder or file cannot be created or read
     */
    Replay open() {
        try {
            Files.createDirectories(dir);
            Replay replay = read();
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            size = channel.size();
            return replay;
        } catch (IOException e) {
            throw new UncheckedIOException("the tracking journal " + file + " cannot be opened: " + e.getMessage(), e);
        }
    }

    private Replay read() throws IOException {
        Map<String, Download> downloads = new LinkedHashMap<>();
        Map<String, Long> acknowledged = new HashMap<>();
        Map<String, RequestRecord> requests = new LinkedHashMap<>();
        int entries = 0;
        int unreadable = 0;
        if (!Files.exists(file)) {
            return new Replay(downloads, acknowledged, requests, 0, 0);
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JournalEntry entry;
                try {
                    entry = json.readValue(line, JournalEntry.class);
                } catch (IOException e) {
                    // a line cut short by a crash in the middle of a write (only ever the last one)
                    unreadable++;
                    continue;
                }
                entries++;
                switch (entry.op()) {
                    case JournalEntry.DOWNLOAD -> downloads.put(entry.download().id, entry.download());
                    case JournalEntry.ACK -> acknowledged.merge(entry.id(), entry.version(), Math::max);
                    case JournalEntry.REQUEST -> requests.put(entry.request().id, entry.request());
                    case JournalEntry.REQUEST_ACK -> requests.remove(entry.id());
                    default -> unreadable++;
                }
            }
        }
        return new Replay(downloads, acknowledged, requests, entries, unreadable);
    }

    /**
     * Appends an entry; it reaches the operating system at the next {@link #flush()}.
     *
     * @param entry the entry
     * @return whether it was written; {@code false} while the journal is full
     */
    boolean append(JournalEntry entry) {
        if (full) {
            skipped++;
            return false;
        }
        try {
            byte[] line = json.writeValueAsBytes(entry.withSeq(++seq));
            buffer.write(line);
            buffer.write('\n');
            if (buffer.size() >= WRITE_THRESHOLD) {
                flush();
            }
            return true;
        } catch (IOException e) {
            LOG.errorf("tracking journal entry not written: %s", e.toString());
            return false;
        }
    }

    /** Hands the appended entries to the operating system (a {@code write}, no {@code fsync}). */
    void flush() {
        if (buffer.size() == 0 || channel == null) {
            return;
        }
        byte[] bytes = buffer.toByteArray();
        buffer.reset();
        try {
            ByteBuffer out = ByteBuffer.wrap(bytes);
            while (out.hasRemaining()) {
                channel.write(out);
            }
            size += bytes.length;
        } catch (IOException e) {
            LOG.errorf("tracking journal %s: %d bytes not written: %s", file, bytes.length, e.toString());
        }
    }

    /** Forces what was written to the disk. */
    void sync() {
        flush();
        if (channel != null) {
            try {
                channel.force(false);
            } catch (IOException e) {
                LOG.warnf("tracking journal %s not synced: %s", file, e.toString());
            }
        }
    }

    /** @return whether the file is past half its bound and worth compacting */
    boolean wantsCompaction() {
        return size + buffer.size() > maxBytes / 2 || full;
    }

    /**
     * Rewrites the journal with only the entries that are still needed.
     *
     * @param live the latest state of every download in progress or not acknowledged, and every request not
     *        acknowledged
     */
    void compact(Collection<JournalEntry> live) {
        flush();
        Path temp = dir.resolve(FILE + ".tmp");
        long before = size;
        long written = 0;
        long newSeq = 0;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (JournalEntry entry : live) {
                byte[] line = (json.writeValueAsString(entry.withSeq(++newSeq)) + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                ByteBuffer buf = ByteBuffer.wrap(line);
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                written += line.length;
            }
            out.force(true);
        } catch (IOException e) {
            LOG.errorf("tracking journal %s not compacted: %s", file, e.toString());
            return;
        }
        try {
            channel.close();
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("the tracking journal " + file + " cannot be reopened: " + e.getMessage(),
                    e);
        }
        size = written;
        seq = newSeq;
        LOG.debugf("tracking journal compacted from %d to %d bytes (%d entries)", before, written, live.size());
        boolean wasFull = full;
        full = written > maxBytes;
        if (full) {
            warnFull();
        } else if (wasFull) {
            LOG.infof("tracking journal %s is under its bound again (%d of %d bytes); %d entries had been kept in"
                    + " memory meanwhile and are on disk now", file, written, maxBytes, skipped);
            skipped = 0;
        }
    }

    /** Called when an append finds the file past its bound and compaction cannot help. */
    void markFullIfOver() {
        if (!full && size + buffer.size() > maxBytes) {
            full = true;
            warnFull();
        } else if (full) {
            warnFull();
        }
    }

    private void warnFull() {
        long now = System.nanoTime();
        if (lastFullWarning != 0 && now - lastFullWarning < 60_000_000_000L) {
            return;
        }
        lastFullWarning = now;
        LOG.warnf("tracking journal %s is full: %d bytes of quarkus.smprotocol.tracking.journal-max-size=%d are"
                + " records MongoDB has not acknowledged. New records are kept in memory until it does (a crash now"
                + " would lose them); is MongoDB reachable?", file, size, maxBytes);
    }

    private void syncDirectory() {
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every file system lets a directory be opened; the rename is still atomic
        }
    }

    /** @return the journal's size on disk, in bytes */
    long size() {
        return size;
    }

    /** @return whether it is over its bound and not growing */
    boolean full() {
        return full;
    }

    /** @return the journal file */
    Path file() {
        return file;
    }

    void close() {
        sync();
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debugf("closing the tracking journal: %s", e);
            }
            channel = null;
        }
    }
}
