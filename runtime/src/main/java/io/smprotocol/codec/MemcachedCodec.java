package io.smprotocol.codec;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.smprotocol.Codec;
import io.smprotocol.Frame;
import io.vertx.core.buffer.Buffer;

/**
 * Memcached's text protocol, where a storage command's value follows its line as a block of the length the line
 * announces ({@code set k 0 0 5\r\nhello\r\n}) and may hold any byte, CR and LF included. A command is its line with its
 * block; hooks see the line ({@code set k 0 0 5}), so a value is never taken for a command. A reply is whole:
 * {@code VALUE} lines with their blocks up to {@code END}, {@code STAT} or {@code ITEM} lines up to {@code END}, a meta
 * {@code VA} line with its block, or one line ({@code STORED}, {@code HD}); hooks see its first line.
 * <p>
 * In a proxy, a command or reply larger than {@code max-line-length} goes on as it arrives, its first line read by
 * hooks and the rest unread, so a value of any size streams through in bounded memory; the backend applies its own
 * item size limit ({@code -I}) and answers with its own error. A command ending in {@code noreply} expects no reply,
 * so the statistics keep pairing the replies that come. Meta commands in quiet mode ({@code q}), whose replies
 * memcached leaves out on success, are relayed byte for byte but paired with replies loosely. A protocol that serves
 * memcached commands itself gets commands up to {@code max-line-length} bytes, block included; a longer one is refused
 * as unreadable.
 */
public final class MemcachedCodec implements Codec {

    /** Commands hold no state of their own: one grammar serves every connection. */
    private static final BlockFramer.Grammar COMMANDS = BlockFramer.commands(MemcachedGrammar::commandBlock);

    @Override
    public Decoder decoder(boolean replies, int maxFrameLength, Charset charset) {
        return replies ? BlockFramer.relay(new MemcachedGrammar.Reply(), maxFrameLength, charset, this)
                : BlockFramer.server(COMMANDS, maxFrameLength, charset, this);
    }

    @Override
    public Decoder relayDecoder(int maxLineLength, long maxBulkLength, Charset charset) {
        return BlockFramer.relay(COMMANDS, maxLineLength, charset, this);
    }

    @Override
    public ReplyScanner replyScanner() {
        return BlockFramer.scanner(new MemcachedGrammar.Reply(), StandardCharsets.UTF_8, this);
    }

    @Override
    public boolean expectsReply(Frame command) {
        return MemcachedGrammar.answered(command.text());
    }

    @Override
    public Buffer encode(List<String> lines, boolean replies, Charset charset) {
        return LineCodec.crlfLines(lines, charset);
    }
}
