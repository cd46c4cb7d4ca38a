package io.smprotocol.download;

/**
 * Who a request comes from: the peer of the connection, or, when that peer is a trusted proxy, the client it names in
 * {@code Forwarded} (RFC 7239, preferred) or {@code X-Forwarded-For}.
 *
 * @param ip the client's IP address, as a literal
 * @param port the client's port, or {@code -1} when a proxy did not tell it
 * @param peerIp the address of the connection's peer (the client itself, or the nearest proxy)
 * @param forwarded whether the address came from a forwarding header
 */
public record ClientAddress(String ip, int port, String peerIp, boolean forwarded) {
}
