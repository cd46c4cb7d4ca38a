package io.smprotocol.demo;

import java.util.List;

/**
 * A mail received by the demo SMTP server.
 *
 * @param from the envelope sender
 * @param recipients the envelope recipients
 * @param body the message, dot-unstuffed, lines ended by CR LF
 */
public record Mail(String from, List<String> recipients, String body) {
}
