package io.smprotocol.downloads.runtime.tracking;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of the tracking journal.
 *
 * @param seq increases by one with every entry written by a process (a compaction starts over)
 * @param op {@value #DOWNLOAD}: the latest state of a download this node contributes; {@value #ACK}: MongoDB holds a
 *        download's state up to {@code version}; {@value #REQUEST}: a request that is no download;
 *        {@value #REQUEST_ACK}: MongoDB holds it
 * @param download the download's state, for {@value #DOWNLOAD}
 * @param request the request, for {@value #REQUEST}
 * @param id the download's or request's id, for acknowledgements
 * @param version the acknowledged part version, for {@value #ACK}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JournalEntry(long seq, String op, Download download, RequestRecord request, String id, Long version) {

    public static final String DOWNLOAD = "download";
    public static final String ACK = "ack";
    public static final String REQUEST = "request";
    public static final String REQUEST_ACK = "request-ack";

    static JournalEntry download(Download download) {
        return new JournalEntry(0, DOWNLOAD, download, null, null, null);
    }

    static JournalEntry ack(String id, long version) {
        return new JournalEntry(0, ACK, null, null, id, version);
    }

    static JournalEntry request(RequestRecord request) {
        return new JournalEntry(0, REQUEST, null, request, null, null);
    }

    static JournalEntry requestAck(String id) {
        return new JournalEntry(0, REQUEST_ACK, null, null, id, null);
    }

    JournalEntry withSeq(long seq) {
        return new JournalEntry(seq, op, download, request, id, version);
    }
}
