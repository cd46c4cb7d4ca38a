package io.smprotocol.runtime.server;

import org.jboss.logging.Logger;

/**
 * The start banner, in the spirit of the original daemon's.
 */
final class Banner {

    private static final String[] LINES = {
            "  ___ __  __ ___         _                _",
            " / __|  \\/  | _ \\_ _ ___| |_ ___  __ ___ | |",
            " \\__ \\ |\\/| |  _/ '_/ _ \\  _/ _ \\/ _/ _ \\| |",
            " |___/_|  |_|_| |_| \\___/\\__\\___/\\__\\___/|_|",
    };

    private Banner() {
    }

    static void log(Logger log) {
        for (String line : LINES) {
            log.info(line);
        }
    }
}
