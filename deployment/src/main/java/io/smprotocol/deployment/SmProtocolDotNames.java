package io.smprotocol.deployment;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.jboss.jandex.DotName;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.smallrye.mutiny.Uni;
import io.smprotocol.CloseReason;
import io.smprotocol.Codec;
import io.smprotocol.Command;
import io.smprotocol.OnClose;
import io.smprotocol.OnCommand;
import io.smprotocol.OnConnect;
import io.smprotocol.OnError;
import io.smprotocol.OnLine;
import io.smprotocol.OnReply;
import io.smprotocol.OnSequence;
import io.smprotocol.Protocol;
import io.smprotocol.Relay;
import io.smprotocol.Reply;
import io.smprotocol.Session;
import io.smprotocol.codec.LineCodec;

/**
 * The names the build steps look for in the Jandex index.
 */
final class SmProtocolDotNames {

    static final DotName PROTOCOL = DotName.createSimple(Protocol.class);
    static final DotName ON_CONNECT = DotName.createSimple(OnConnect.class);
    static final DotName ON_LINE = DotName.createSimple(OnLine.class);
    static final DotName ON_COMMAND = DotName.createSimple(OnCommand.class);
    static final DotName ON_SEQUENCE = DotName.createSimple(OnSequence.class);
    static final DotName ON_CLOSE = DotName.createSimple(OnClose.class);
    static final DotName ON_ERROR = DotName.createSimple(OnError.class);
    static final DotName ON_REPLY = DotName.createSimple(OnReply.class);
    static final List<DotName> HOOK_ANNOTATIONS = List.of(ON_CONNECT, ON_LINE, ON_COMMAND, ON_SEQUENCE, ON_CLOSE,
            ON_ERROR, ON_REPLY);

    static final DotName SESSION = DotName.createSimple(Session.class);
    static final DotName COMMAND = DotName.createSimple(Command.class);
    static final DotName CLOSE_REASON = DotName.createSimple(CloseReason.class);
    static final DotName REPLY = DotName.createSimple(Reply.class);
    static final DotName RELAY = DotName.createSimple(Relay.class);
    static final DotName CODEC = DotName.createSimple(Codec.class);
    static final DotName LINE_CODEC = DotName.createSimple(LineCodec.class);
    static final DotName STRING = DotName.createSimple(String.class);
    static final DotName THROWABLE = DotName.createSimple(Throwable.class);
    static final DotName VOID = DotName.createSimple(Void.class);
    static final DotName UNI = DotName.createSimple(Uni.class);
    static final DotName COMPLETION_STAGE = DotName.createSimple(CompletionStage.class);

    static final DotName BLOCKING = DotName.createSimple(Blocking.class);
    static final DotName NON_BLOCKING = DotName.createSimple(NonBlocking.class);
    static final DotName RUN_ON_VIRTUAL_THREAD = DotName.createSimple(RunOnVirtualThread.class);

    private SmProtocolDotNames() {
    }
}
