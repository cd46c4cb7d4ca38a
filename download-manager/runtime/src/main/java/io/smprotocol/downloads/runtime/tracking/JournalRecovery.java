package io.smprotocol.downloads.runtime.tracking;

import java.time.Instant;

import io.smprotocol.downloads.runtime.sessions.DownloadSessions;

/**
 * What a start makes of the journal an earlier run left: the records MongoDB had not acknowledged are pending again,
 * the state machine ends the downloads that had a request in flight ({@code INTERRUPTED}) and knows again those a
 * client may still resume, whose ids go back into the listener's sessions.
 */
final class JournalRecovery {

    private JournalRecovery() {
    }

    /**
     * @return how many downloads may be resumed under their id
     */
    static int restore(TrackingJournal.Replay replay, LogicalDownloads downloads, PendingRecords pending,
            DownloadSessions sessions, Instant now) {
        int resumable = 0;
        for (Download record : replay.downloads().values()) {
            if (record.parts == null || record.parts.isEmpty()) {
                continue;
            }
            // a journal holds the parts of one node's run only
            Download.Part part = record.parts.values().iterator().next();
            Long acknowledged = replay.acknowledged().get(record.id);
            if (acknowledged == null || acknowledged < part.version) {
                pending.put(record);
            }
            TrackedDownload download = downloads.recovered(record, now);
            if (download != null) {
                resumable++;
                sessions.resume(download.client.ip, download.client.userAgent, download.file.path,
                        download.file.etag, download.id, download.lastActivity);
            }
        }
        pending.putRequests(replay.requests());
        return resumable;
    }
}
