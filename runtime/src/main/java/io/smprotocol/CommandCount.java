package io.smprotocol;

/**
 * One command verb's figures on one listener since the application started: what {@link Listeners#commands(String)}
 * answers, and {@code GET /q/smprotocol/protocols/NAME/stats} lists under {@code commands}.
 *
 * @param verb the verb ({@code OTHER} for verbs past the bound of distinct ones, or not shaped like a verb); for the
 *        download listener the HTTP method
 * @param count commands received
 * @param bytes their bytes
 * @param errors those answered with an error, or whose hook failed
 * @param replies those whose reply was seen: the base of the latencies
 * @param meanLatencyMillis the mean latency: in proxy mode from forwarding the command to the backend's first reply,
 *        otherwise from receiving it to writing the reply
 * @param maxLatencyMillis the highest latency
 */
public record CommandCount(String verb, long count, long bytes, long errors, long replies, double meanLatencyMillis,
        double maxLatencyMillis) {
}
