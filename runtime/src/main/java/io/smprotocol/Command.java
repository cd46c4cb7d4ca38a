package io.smprotocol;

import java.util.Locale;

/**
 * One command line: its verb (the first token, upper-cased), the arguments (the rest of the line after the
 * separating blanks) and the line as received, without its line ending.
 *
 * @param verb the command verb in upper case, empty for an empty line
 * @param arguments everything after the verb and the blanks that follow it, possibly empty
 * @param line the whole line as received
 */
public record Command(String verb, String arguments, String line) {

    /**
     * Splits a line into verb and arguments. The verb ends at the first space or tab.
     *
     * @param line a line without its line ending
     * @return the command
     */
    public static Command parse(String line) {
        int start = 0;
        int length = line.length();
        while (start < length && isBlank(line.charAt(start))) {
            start++;
        }
        int end = start;
        while (end < length && !isBlank(line.charAt(end))) {
            end++;
        }
        int argumentsStart = end;
        while (argumentsStart < length && isBlank(line.charAt(argumentsStart))) {
            argumentsStart++;
        }
        return new Command(upperCase(line.substring(start, end)), line.substring(argumentsStart), line);
    }

    /** The verb in upper case; most verbs already are, and are checked with a plain scan instead of case tables. */
    private static String upperCase(String verb) {
        for (int i = 0; i < verb.length(); i++) {
            char c = verb.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 0x80) {
                return verb.toUpperCase(Locale.ROOT);
            }
        }
        return verb;
    }

    /**
     * @param verb a verb in any case
     * @return whether this command has that verb, compared case-insensitively
     */
    public boolean is(String verb) {
        return this.verb.equalsIgnoreCase(verb);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
