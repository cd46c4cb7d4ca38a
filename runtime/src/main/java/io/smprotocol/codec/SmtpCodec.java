package io.smprotocol.codec;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.smprotocol.Codec;
import io.vertx.core.buffer.Buffer;

/**
 * SMTP (RFC 5321) as a proxy sees it. Hooks see each command line ({@code MAIL FROM:<a@example.org>}); a message,
 * after the backend accepted {@code DATA} with 354, passes on unread up to its final dot, which hooks see as the line
 * {@code .} and which the backend's verdict on the message answers; a {@code BDAT} chunk (RFC 3030) is part of its
 * command. A reply is whole, with its continuation lines ({@code 250-PIPELINING} ... {@code 250 SIZE}), so a
 * multi-line {@code EHLO} reply pairs with its one command. Once the backend accepts {@code STARTTLS}, the connection
 * passes through unread, both ways.
 * <p>
 * With the line codec instead, a message's lines would reach hooks as commands ({@code @OnCommand("QUIT")} would fire
 * for a body line reading "QUIT") and each line of a multi-line reply would pair with a command of its own. A protocol
 * that serves SMTP itself keeps the line codec and reads the message with {@code Session.startRawLines()}; with this
 * codec it would get commands and {@code BDAT} chunks up to {@code max-line-length}.
 */
public final class SmtpCodec implements Codec {

    static final BlockFramer.Grammar COMMANDS = BlockFramer.commands(SmtpGrammar::chunkAfter);

    @Override
    public Decoder decoder(boolean replies, int maxFrameLength, Charset charset) {
        return replies ? BlockFramer.relay(new SmtpGrammar.Reply(), maxFrameLength, charset, this)
                : BlockFramer.server(COMMANDS, maxFrameLength, charset, this);
    }

    @Override
    public Decoder relayDecoder(int maxLineLength, long maxBulkLength, Charset charset) {
        return new SmtpCommandDecoder(maxLineLength, charset, this);
    }

    @Override
    public ReplyScanner replyScanner() {
        return BlockFramer.scanner(new SmtpGrammar.Reply(), StandardCharsets.UTF_8, this);
    }

    @Override
    public Buffer encode(List<String> lines, boolean replies, Charset charset) {
        return LineCodec.crlfLines(lines, charset);
    }
}
