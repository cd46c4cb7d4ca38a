package io.smprotocol.codec;

import java.util.Locale;

/**
 * Where memcached's text protocol puts a data block after a line, and which lines a reply spans. Only lines are read
 * here; bytes are {@link BlockFramer}'s.
 */
final class MemcachedGrammar {

    /** A line followed by no data block. */
    static final long NO_BLOCK = -1;
    private static final int CRLF = 2;

    private MemcachedGrammar() {
    }

    /**
     * @param line a command line without its line ending
     * @return the bytes of the data block that follows it, CR LF included, or {@link #NO_BLOCK}: for the storage
     *         commands ({@code set}, {@code add}, {@code replace}, {@code append}, {@code prepend},
     *         {@code cas}) and the meta set ({@code ms}) with a valid length, as memcached reads them. A malformed one
     *         memcached refuses without reading a block, and so nothing follows it here either.
     */
    static long commandBlock(String line) {
        String verb = verb(line);
        if (!verb.equals("set") && !verb.equals("add") && !verb.equals("replace") && !verb.equals("append")
                && !verb.equals("prepend") && !verb.equals("cas") && !verb.equals("ms")) {
            // most commands (get, delete, ...) carry no block: no need to split them
            return NO_BLOCK;
        }
        String[] words = BlockFramer.words(line);
        return switch (verb) {
            case "set", "add", "replace", "append", "prepend" -> words.length == 5 || words.length == 6
                    ? block(words[4])
                    : NO_BLOCK;
            case "cas" -> words.length == 6 || words.length == 7 ? block(words[4]) : NO_BLOCK;
            case "ms" -> words.length >= 3 ? block(words[2]) : NO_BLOCK;
            default -> NO_BLOCK;
        };
    }

    /**
     * @param line a command line without its line ending
     * @return whether memcached answers it: not when it is blank, nor a command that takes {@code noreply} and ends
     *         with it
     */
    static boolean answered(String line) {
        String verb = verb(line);
        if (verb.isEmpty()) {
            return false;
        }
        boolean takesNoreply = switch (verb) {
            case "set", "add", "replace", "append", "prepend", "cas", "delete", "incr", "decr", "touch", "flush_all",
                    "verbosity" ->
                true;
            default -> false;
        };
        return !(takesNoreply && line.stripTrailing().endsWith(" noreply"));
    }

    /** @return the line's first word, in lower case */
    private static String verb(String line) {
        String trimmed = line.strip();
        int space = trimmed.indexOf(' ');
        return (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
    }

    /** @return the block's bytes with its CR LF, or {@link #NO_BLOCK} for what is not a length memcached takes */
    private static long block(String length) {
        if (length.isEmpty() || length.length() > 10) {
            return NO_BLOCK;
        }
        long value = 0;
        for (int i = 0; i < length.length(); i++) {
            char c = length.charAt(i);
            if (c < '0' || c > '9') {
                return NO_BLOCK;
            }
            value = value * 10 + (c - '0');
        }
        return value > Integer.MAX_VALUE - CRLF ? NO_BLOCK : value + CRLF;
    }

    /**
     * The lines of one reply: {@code VALUE} lines (each with its block) up to {@code END}, {@code STAT} and
     * {@code ITEM} lines up to {@code END}, a meta {@code VA} line with its block; any other line is a reply by itself.
     */
    static final class Reply implements BlockFramer.Grammar {

        private boolean group;
        private boolean complete;

        /**
         * @param line the reply's next line without its line ending, or {@code null} for a line too long to read
         * @return the bytes of the data block that follows it, CR LF included, or {@link #NO_BLOCK}
         */
        @Override
        public long line(String line) {
            complete = false;
            if (line == null) {
                complete = !group;
                return NO_BLOCK;
            }
            if (line.startsWith("VALUE ")) {
                String[] words = BlockFramer.words(line);
                group = true;
                return words.length >= 4 ? block(words[3]) : NO_BLOCK;
            }
            if (line.startsWith("VA ")) {
                String[] words = BlockFramer.words(line);
                complete = !group;
                return words.length >= 2 ? block(words[1]) : NO_BLOCK;
            }
            if (line.startsWith("STAT ") || line.startsWith("ITEM ")) {
                group = true;
                return NO_BLOCK;
            }
            if (!group || line.equals("END") || line.startsWith("ERROR") || line.startsWith("CLIENT_ERROR")
                    || line.startsWith("SERVER_ERROR")) {
                // a line of its own, or what ends a group (an error cuts one short)
                group = false;
                complete = true;
            }
            return NO_BLOCK;
        }

        /** @return whether the reply ended with the last line (and its block) */
        @Override
        public boolean frameEnds() {
            return complete;
        }
    }
}
