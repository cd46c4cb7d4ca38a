/**
 * The codecs that come with SMProtocol: {@link io.smprotocol.codec.LineCodec}, one command per line (the default),
 * and {@link io.smprotocol.codec.RespCodec}, Redis' RESP.
 */
package io.smprotocol.codec;
