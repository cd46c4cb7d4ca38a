package io.smprotocol.demo;

import java.util.List;

/**
 * A mail received by the demo SMTP server.
 *
 * @param from the envelope sender
 * @param recipients the envelope recipients
 * @param body the message, dot-unstuffed, lines ended by CR LF; of a message over {@link Mailbox#KEPT_BODY} bytes,
 *        only its beginning: the demo keeps the last mails in memory
 * @param size the message's size in bytes, dot-unstuffed, as SIZE (RFC 1870) counts it
 */
public record Mail(String from, List<String> recipients, String body, long size) {
}
