package io.smprotocol.downloads.runtime.semantics;

import java.util.List;

import io.smprotocol.download.ByteRange;

/**
 * What a {@code Range} header asks of one file, decided by {@link RangeParser}.
 */
public sealed interface RangeOutcome {

    /**
     * The whole file is sent with 200: no Range header, one that is ignored (bad syntax, unknown unit) or one that
     * asks too much (more ranges than allowed, or ranges adding up to more than the file).
     *
     * @param reason why, for logs and tests
     */
    record Whole(String reason) implements RangeOutcome {
    }

    /**
     * 206 with these ranges, in the order asked: one range as a single part, several as {@code multipart/byteranges}.
     *
     * @param ranges at least one, each clamped to the file
     */
    record Partial(List<ByteRange> ranges) implements RangeOutcome {
        public Partial {
            ranges = List.copyOf(ranges);
        }
    }

    /** 416 with {@code Content-Range: bytes *}{@code /LENGTH}: none of the ranges lies in the file. */
    record Unsatisfiable() implements RangeOutcome {
    }
}
