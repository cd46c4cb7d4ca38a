package io.smprotocol.runtime.server;

/**
 * Receives what a {@link LineFramer} finds in the byte stream.
 */
interface FrameListener {

    /**
     * @param line a complete line, without its line ending, decoded with the protocol's charset
     */
    void onLine(String line);

    /**
     * A line exceeded the maximum length. Called once per over-long line; the rest of it is discarded.
     */
    void onLineTooLong();

    /**
     * In strict CR LF mode, a line contained a bare CR or ended with a bare LF; the line is dropped.
     */
    void onBareLineEnding();
}
