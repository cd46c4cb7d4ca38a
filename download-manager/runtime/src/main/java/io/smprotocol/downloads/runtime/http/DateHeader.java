package io.smprotocol.downloads.runtime.http;

import io.smprotocol.downloads.runtime.semantics.HttpDates;

/** The {@code Date} header's value, formatted once per second whatever the number of responses. */
final class DateHeader {

    private volatile long second;
    private volatile String value;

    /** @return the current value */
    String now() {
        long now = System.currentTimeMillis() / 1000;
        String current = value;
        if (current == null || now != second) {
            current = HttpDates.format(now);
            value = current;
            second = now;
        }
        return current;
    }
}
