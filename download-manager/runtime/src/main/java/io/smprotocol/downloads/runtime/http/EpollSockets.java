package io.smprotocol.downloads.runtime.http;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;

/**
 * What Netty's native epoll transport lets the listener do with a socket that the JDK does not, so that the bytes of a
 * cut connection (the bytes handed to the kernel) are close to the bytes the client got: {@code TCP_NOTSENT_LOWAT}.
 * The kernel then takes more of a body only while less than {@link #NOT_SENT_LOW_AT} bytes of it wait unsent, instead
 * of filling a send buffer Linux autotunes up to 4 MiB; a client that stops reading leaves at most that much unsent
 * (plus one write), and throughput is untouched: the bytes in flight on the network are not limited.
 * <p>
 * {@code TCP_INFO}, which the transport also gives, is of no use here: Netty reads it without its byte counts
 * ({@code tcpi_notsent_bytes}, {@code tcpi_bytes_acked}), and what a socket closed by the listener still holds is
 * sent on by the kernel after the close, so subtracting it would undercount a client that goes on reading.
 * <p>
 * Touched only for channels of that transport ({@link #isEpoll(Channel)} looks at the class name), so that the
 * listener runs without the transport's classes.
 */
final class EpollSockets {

    /** The most bytes a connection leaves unsent in the kernel. */
    static final int NOT_SENT_LOW_AT = 128 * 1024;

    private EpollSockets() {
    }

    /** @return whether the channel is of the native epoll transport; safe without its classes */
    static boolean isEpoll(Channel channel) {
        return channel.getClass().getName().equals("io.netty.channel.epoll.EpollSocketChannel");
    }

    /** Bounds what the kernel keeps unsent; for an epoll channel only. */
    static void boundUnsent(Channel channel) {
        ((EpollSocketChannel) channel).config().setTcpNotSentLowAt(NOT_SENT_LOW_AT);
    }
}
