package io.smprotocol.runtime.server;

import java.nio.charset.Charset;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * What a connection writes to its client: the lines and bytes its steps queued, written in one batch per flush, and
 * what it counted for the statistics since the last flush. Confined to the connection's event loop, except the count
 * of bytes written, which any thread may read.
 */
final class ClientOutput {

    private final ProtocolServer server;
    private final NetSocketInternal socket;
    /** What goes to the client at the next flush. */
    private final OutboundBatch batch;
    /** Made at the first count: an idle connection holds none. */
    private CommandTally tally;
    private volatile long bytesOut;

    ClientOutput(ProtocolServer server, NetSocketInternal socket) {
        this.server = server;
        this.socket = socket;
        this.batch = new OutboundBatch(socket.channelHandlerContext().alloc());
    }

    /** Queues lines, each ended with CR LF, for the next flush. */
    void lines(List<String> lines, Charset charset) {
        int written = batch.lines(lines, charset);
        bytesOut += written;
        tally().bytesOut(written);
    }

    /** Queues bytes, passed on as they are, for the next flush; they must not change until then. */
    void raw(Buffer buffer) {
        bytesOut += buffer.length();
        tally().bytesOut(buffer.length());
        batch.raw(buffer);
    }

    /** @return the counts since the last flush, made at the first count */
    CommandTally tally() {
        CommandTally current = tally;
        if (current == null) {
            current = new CommandTally(server);
            tally = current;
        }
        return current;
    }

    /** Hands the counts to the protocol's statistics. */
    void flushTally() {
        if (tally != null) {
            tally.flush();
        }
    }

    /**
     * Hands the counts to the statistics, then what was queued to Netty in one write; Netty releases it once written
     * (or failed).
     *
     * @param open whether the connection can still write: if not, what was queued is released here
     */
    void flush(boolean open) {
        // the counts first: whoever reads the statistics after a reply sees the command that it answers
        flushTally();
        ByteBuf replies = batch.take();
        if (replies == null) {
            return;
        }
        if (open) {
            socket.writeMessage(replies);
        } else {
            replies.release();
        }
    }

    /** @return the bytes queued for the client so far */
    long bytesOut() {
        return bytesOut;
    }
}
