package io.smprotocol.codec;

/** What SMTP's lines say about the bytes after them: a {@code BDAT} chunk's length, where a multi-line reply ends. */
final class SmtpGrammar {

    private SmtpGrammar() {
    }

    /**
     * @param line a command line without its line ending
     * @return the bytes of the chunk that follows a {@code BDAT size [LAST]} (RFC 3030, no line ending after it), or -1
     */
    static long chunkAfter(String line) {
        String trimmed = line.strip();
        if (!trimmed.regionMatches(true, 0, "BDAT ", 0, 5)) {
            // every other command: no need to split it
            return -1;
        }
        String[] words = BlockFramer.words(trimmed);
        if (words.length < 2 || words.length > 3) {
            return -1;
        }
        String size = words[1];
        if (size.isEmpty() || size.length() > 18) {
            return -1;
        }
        for (int i = 0; i < size.length(); i++) {
            if (size.charAt(i) < '0' || size.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(size);
    }

    /** A reply is its lines up to the one whose code is followed by a space, not a hyphen ({@code 250-PIPELINING}). */
    static final class Reply implements BlockFramer.Grammar {

        private boolean ends;

        @Override
        public long line(String line) {
            ends = line == null || line.length() < 4 || line.charAt(3) != '-';
            return -1;
        }

        @Override
        public boolean frameEnds() {
            return ends;
        }
    }
}
