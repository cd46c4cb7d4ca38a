package io.smprotocol;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a text protocol. The annotated class becomes a singleton CDI bean and its methods annotated with
 * {@link OnConnect}, {@link OnLine}, {@link OnCommand}, {@link OnSequence}, {@link OnClose} and {@link OnError}
 * are the protocol's hooks.
 * <p>
 * Each protocol runs on its own TCP listener, configured under {@code quarkus.smprotocol.protocols."NAME".*}.
 * Names are unique in an application. When its configuration sets {@code forward.host} and {@code forward.port} the
 * protocol is a transparent proxy to that backend, and {@link OnReply} hooks see the backend's replies.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Protocol {

    /**
     * @return the protocol's name, used in configuration keys, logs, metrics and management endpoints
     */
    String value();

    /**
     * @return how the protocol's bytes group into commands (and, in proxy mode, replies); one command per line by
     *         default
     */
    Class<? extends Codec> codec() default io.smprotocol.codec.LineCodec.class;
}
