package io.smprotocol;

/**
 * The lines a session could not read while it read raw lines ({@link Session#startRawLines()}): the framework answers
 * none of them itself and hands none of them to a hook, so that the protocol decides, once its payload ends, what
 * they mean for it. SMTP, for instance, rejects the whole message with one reply after the final dot.
 *
 * @param tooLong lines longer than the protocol's {@code max-line-length}; their bytes were discarded as they came
 * @param bareLineEndings lines of a {@code strict-crlf} protocol that held a bare CR or ended with a bare LF
 */
public record RawLineFaults(long tooLong, long bareLineEndings) {

    /** No fault. */
    public static final RawLineFaults NONE = new RawLineFaults(0, 0);

    /** @return whether any line was lost */
    public boolean any() {
        return tooLong > 0 || bareLineEndings > 0;
    }
}
