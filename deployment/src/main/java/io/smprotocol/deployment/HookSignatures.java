package io.smprotocol.deployment;

import static io.smprotocol.deployment.SmProtocolDotNames.BLOCKING;
import static io.smprotocol.deployment.SmProtocolDotNames.CLOSE_REASON;
import static io.smprotocol.deployment.SmProtocolDotNames.COMMAND;
import static io.smprotocol.deployment.SmProtocolDotNames.COMPLETION_STAGE;
import static io.smprotocol.deployment.SmProtocolDotNames.NON_BLOCKING;
import static io.smprotocol.deployment.SmProtocolDotNames.RELAY;
import static io.smprotocol.deployment.SmProtocolDotNames.REPLY;
import static io.smprotocol.deployment.SmProtocolDotNames.RUN_ON_VIRTUAL_THREAD;
import static io.smprotocol.deployment.SmProtocolDotNames.SESSION;
import static io.smprotocol.deployment.SmProtocolDotNames.STRING;
import static io.smprotocol.deployment.SmProtocolDotNames.THROWABLE;
import static io.smprotocol.deployment.SmProtocolDotNames.UNI;
import static io.smprotocol.deployment.SmProtocolDotNames.VOID;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.jandex.DotName;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.Type;

import io.smprotocol.runtime.hook.ArgumentKind;
import io.smprotocol.runtime.hook.ExecutionModel;
import io.smprotocol.runtime.hook.HookKind;

/**
 * What each hook kind may take and return, and where it runs. Every rule fails the build with a message naming the
 * class and the method.
 */
final class HookSignatures {

    private static final Map<DotName, ArgumentKind> ARGUMENT_TYPES = Map.of(
            SESSION, ArgumentKind.SESSION,
            COMMAND, ArgumentKind.COMMAND,
            STRING, ArgumentKind.LINE,
            CLOSE_REASON, ArgumentKind.CLOSE_REASON,
            THROWABLE, ArgumentKind.THROWABLE);

    private static final Map<HookKind, Set<ArgumentKind>> ALLOWED_ARGUMENTS = Map.of(
            HookKind.CONNECT, EnumSet.of(ArgumentKind.SESSION),
            HookKind.LINE, EnumSet.of(ArgumentKind.SESSION, ArgumentKind.LINE, ArgumentKind.COMMAND),
            HookKind.COMMAND, EnumSet.of(ArgumentKind.SESSION, ArgumentKind.COMMAND, ArgumentKind.LINE),
            HookKind.SEQUENCE, EnumSet.of(ArgumentKind.SESSION, ArgumentKind.COMMAND),
            HookKind.CLOSE, EnumSet.of(ArgumentKind.SESSION, ArgumentKind.CLOSE_REASON),
            HookKind.ERROR, EnumSet.of(ArgumentKind.SESSION, ArgumentKind.THROWABLE),
            HookKind.REPLY, EnumSet.of(ArgumentKind.SESSION, ArgumentKind.LINE));

    private static final Map<ArgumentKind, String> TYPE_NAMES = Map.of(
            ArgumentKind.SESSION, "Session",
            ArgumentKind.COMMAND, "Command",
            ArgumentKind.LINE, "String (the line, or the reply for @OnReply)",
            ArgumentKind.CLOSE_REASON, "CloseReason",
            ArgumentKind.THROWABLE, "Throwable");

    private HookSignatures() {
    }

    static String describe(MethodInfo method) {
        return method.declaringClass().name() + "#" + method.name() + "()";
    }

    /**
     * @return the argument kinds, one per parameter
     * @throws HookDefinitionException on a parameter type the hook kind does not take
     */
    static List<ArgumentKind> arguments(HookKind kind, String annotation, MethodInfo method) {
        List<ArgumentKind> arguments = new ArrayList<>();
        Set<ArgumentKind> allowed = ALLOWED_ARGUMENTS.get(kind);
        for (int i = 0; i < method.parametersCount(); i++) {
            Type type = method.parameterType(i);
            ArgumentKind argument = type.kind() == Type.Kind.CLASS ? ARGUMENT_TYPES.get(type.name()) : null;
            if (argument == null || !allowed.contains(argument)) {
                throw new HookDefinitionException(String.format(
                        "%s hook %s: parameter %d has the unsupported type %s; it may take %s",
                        annotation, describe(method), i + 1, type,
                        allowed.stream().map(TYPE_NAMES::get).collect(Collectors.joining(", "))));
            }
            arguments.add(argument);
        }
        return arguments;
    }

    /**
     * @return whether the method returns asynchronously ({@code Uni} or {@code CompletionStage})
     * @throws HookDefinitionException on an unsupported return type
     */
    static boolean validateReturnType(HookKind kind, String annotation, MethodInfo method) {
        Type returned = method.returnType();
        boolean closeHook = kind == HookKind.CLOSE;
        if (returned.kind() == Type.Kind.VOID) {
            return false;
        }
        if (!closeHook && returned.kind() == Type.Kind.CLASS && isReplyType(returned.name())) {
            return false;
        }
        if (returned.kind() == Type.Kind.PARAMETERIZED_TYPE
                && (returned.name().equals(UNI) || returned.name().equals(COMPLETION_STAGE))) {
            Type item = returned.asParameterizedType().arguments().get(0);
            boolean supported = item.kind() == Type.Kind.CLASS && (item.name().equals(VOID)
                    || !closeHook && isReplyType(item.name()));
            if (supported) {
                return true;
            }
        }
        String allowed = closeHook ? "void, Uni<Void> or CompletionStage<Void>"
                : "void, String, Reply or Relay, or a Uni or CompletionStage of Void, String, Reply or Relay";
        throw new HookDefinitionException(String.format("%s hook %s: the return type %s is not supported; it may return %s",
                annotation, describe(method), returned, allowed));
    }

    private static boolean isReplyType(DotName name) {
        return name.equals(STRING) || name.equals(REPLY) || name.equals(RELAY);
    }

    /**
     * The execution model: an explicit annotation on the method, then on the class, wins; otherwise asynchronous
     * hooks run on the event loop and the others on a worker thread.
     */
    static ExecutionModel executionModel(MethodInfo method, boolean asynchronous) {
        List<DotName> explicit = List.of(BLOCKING, NON_BLOCKING, RUN_ON_VIRTUAL_THREAD).stream()
                .filter(method::hasDeclaredAnnotation).toList();
        if (explicit.isEmpty()) {
            explicit = List.of(BLOCKING, NON_BLOCKING, RUN_ON_VIRTUAL_THREAD).stream()
                    .filter(name -> method.declaringClass().hasDeclaredAnnotation(name)).toList();
        }
        if (explicit.size() > 1) {
            throw new HookDefinitionException(String.format(
                    "Hook %s: @Blocking, @NonBlocking and @RunOnVirtualThread exclude each other, found %s",
                    describe(method), explicit.stream().map(DotName::withoutPackagePrefix).toList()));
        }
        if (explicit.isEmpty()) {
            return asynchronous ? ExecutionModel.EVENT_LOOP : ExecutionModel.WORKER;
        }
        DotName chosen = explicit.get(0);
        if (chosen.equals(BLOCKING)) {
            return ExecutionModel.WORKER;
        }
        if (chosen.equals(NON_BLOCKING)) {
            return ExecutionModel.EVENT_LOOP;
        }
        return ExecutionModel.VIRTUAL_THREAD;
    }
}
