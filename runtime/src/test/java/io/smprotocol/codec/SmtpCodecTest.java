package io.smprotocol.codec;

import static io.smprotocol.codec.RespCodecTest.bytes;
import static io.smprotocol.codec.RespCodecTest.concat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.smprotocol.Codec;
import io.smprotocol.Frame;
import io.vertx.core.buffer.Buffer;

/**
 * SMTP as a proxy reads it: commands, a message after the backend accepted DATA, BDAT chunks, multi-line replies,
 * each input split at every byte boundary. Whatever the split, every byte comes out once, in order, and hooks would
 * see the same command lines, never a line of a message.
 */
class SmtpCodecTest {

    static final int WINDOW = 64;
    static final SmtpCodec CODEC = new SmtpCodec();

    @Test
    void aMessageAfterAnAcceptedDataGoesOnUnreadUpToItsFinalDot() {
        byte[] message = bytes("Subject: commands inside\r\n\r\nQUIT\r\nRCPT TO:<not-a-command@example.org>\r\n"
                + "..a dot-stuffed line\r\n.x\r\n\r\n.\r\nRSET\r\nQUIT\r\n");
        for (int split = 0; split <= message.length; split++) {
            Codec.Decoder decoder = CODEC.relayDecoder(WINDOW, 1 << 20, StandardCharsets.UTF_8);
            List<Frame> frames = new ArrayList<>();
            decoder.decode(Buffer.buffer("DATA\r\n"), frames::add);
            assertThat(decoder.replied("DATA", false)).isTrue();
            frames.addAll(SplitFeeds.frames(decoder, message, split));
            assertThat(texts(frames)).as("split at %d", split).containsExactly("DATA", ".", "RSET", "QUIT");
            assertThat(SplitFeeds.joined(frames)).isEqualTo(concat(bytes("DATA\r\n"), message));
        }
    }

    @Test
    void aRefusedDataLeavesTheNextLinesCommands() {
        Codec.Decoder decoder = CODEC.relayDecoder(WINDOW, 1 << 20, StandardCharsets.UTF_8);
        List<Frame> frames = new ArrayList<>();
        decoder.decode(Buffer.buffer("DATA\r\n"), frames::add);
        assertThat(decoder.replied("DATA", true)).isTrue();
        decoder.decode(Buffer.buffer("RSET\r\nQUIT\r\n"), frames::add);
        assertThat(texts(frames)).containsExactly("DATA", "RSET", "QUIT");
    }

    @Test
    void aBdatChunkIsPartOfItsCommandWhateverItHolds() {
        byte[] input = bytes("BDAT 12\r\nhello\r\nQUIT\rBDAT 0 LAST\r\nQUIT\r\n");
        for (int split = 0; split <= input.length; split++) {
            List<Frame> frames = SplitFeeds.frames(CODEC.relayDecoder(WINDOW, 1 << 20, StandardCharsets.UTF_8),
                    input, split);
            assertThat(texts(frames)).as("split at %d", split).containsExactly("BDAT 12", "BDAT 0 LAST", "QUIT");
            assertThat(SplitFeeds.joined(frames)).isEqualTo(input);
        }
    }

    @Test
    void anAcceptedStarttlsEndsReadingAndARefusedOneDoesNot() {
        Codec.Decoder decoder = CODEC.relayDecoder(WINDOW, 1 << 20, StandardCharsets.UTF_8);
        assertThat(decoder.replied("STARTTLS", true)).isTrue();
        assertThat(decoder.replied("EHLO", false)).isTrue();
        assertThat(decoder.replied("STARTTLS", false)).isFalse();
    }

    static final byte[] REPLIES = bytes("220 smtp.example ESMTP\r\n250-smtp.example\r\n250-PIPELINING\r\n"
            + "250 SIZE 1000\r\n354 End data with <CR><LF>.<CR><LF>\r\n550-first\r\n550 second\r\n250 OK\r\n");

    @Test
    void aMultiLineReplyIsOneReplyWhateverTheSplit() {
        for (int split = 0; split <= REPLIES.length; split++) {
            List<Frame> frames = SplitFeeds.frames(CODEC.decoder(true, WINDOW, StandardCharsets.UTF_8), REPLIES,
                    split);
            assertThat(texts(frames)).as("split at %d", split).containsExactly("220 smtp.example ESMTP",
                    "250-smtp.example", "354 End data with <CR><LF>.<CR><LF>", "550-first", "250 OK");
            assertThat(SplitFeeds.joined(frames)).isEqualTo(REPLIES);
        }
    }

    @Test
    void theScannerEndsRepliesWhereTheDecoderDoes() {
        List<long[]> expected = new ArrayList<>();
        int offset = 0;
        for (Frame frame : SplitFeeds.frames(CODEC.decoder(true, WINDOW, StandardCharsets.UTF_8), REPLIES, 0)) {
            offset += frame.bytes().length();
            expected.add(new long[] { offset, CODEC.isError(frame.text()) ? 1 : 0 });
        }
        assertThat(expected.stream().filter(end -> end[1] == 1)).hasSize(1);
        for (int split = 0; split <= REPLIES.length; split++) {
            assertThat(SplitFeeds.ends(CODEC.replyScanner(), REPLIES, split)).as("split at %d", split)
                    .containsExactlyElementsOf(expected);
        }
    }

    private static List<String> texts(List<Frame> frames) {
        return frames.stream().map(Frame::text).filter(text -> text != null).toList();
    }
}
