package io.smprotocol.runtime.management;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import io.quarkus.arc.Arc;
import io.smprotocol.CommandCount;
import io.smprotocol.ListenerStatus;
import io.smprotocol.UnknownListenerException;
import io.smprotocol.runtime.server.ManagedListener;
import io.smprotocol.runtime.server.ProtocolManager;
import io.smprotocol.runtime.server.ProtocolServer;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The management endpoints under {@code /q/smprotocol}:
 * <ul>
 * <li>{@code GET protocols}: every protocol's status;</li>
 * <li>{@code GET protocols/NAME}: one protocol's status;</li>
 * <li>{@code GET protocols/NAME/stats}: its per-command statistics (per HTTP method, with counts by status and end
 * reason, for the download listener);</li>
 * <li>{@code POST protocols/NAME/restart}, {@code /stop}, {@code /start};</li>
 * <li>{@code POST restart}: every protocol.</li>
 * </ul>
 * Errors answer with a JSON body {@code {"error": "..."}}: 404 for an unknown protocol or path, 405 for a wrong
 * method, 409 when a protocol cannot listen (it is then FAILED).
 */
public final class ManagementHandler implements Handler<RoutingContext> {

    private final String root;

    /**
     * @param root the path the handler is mounted on, up to and including {@code smprotocol/}
     */
    public ManagementHandler(String root) {
        this.root = root.endsWith("/") ? root : root + "/";
    }

    @Override
    public void handle(RoutingContext context) {
        String path = context.normalizedPath();
        int start = path.indexOf(root);
        String rest = start < 0 ? "" : path.substring(start + root.length());
        String[] parts = rest.isEmpty() ? new String[0] : rest.split("/");
        ProtocolManager manager = Arc.container().instance(ProtocolManager.class).get();
        HttpMethod method = context.request().method();
        try {
            if (parts.length == 1 && parts[0].equals("protocols")) {
                requireMethod(method, HttpMethod.GET);
                respond(context, 200, statuses(manager.statuses()));
            } else if (parts.length == 1 && parts[0].equals("restart")) {
                requireMethod(method, HttpMethod.POST);
                operate(context, manager.restartAll(), ManagementHandler::statuses);
            } else if (parts.length == 2 && parts[0].equals("protocols")) {
                requireMethod(method, HttpMethod.GET);
                respond(context, 200, status(manager.status(parts[1])));
            } else if (parts.length == 3 && parts[0].equals("protocols") && parts[2].equals("stats")) {
                requireMethod(method, HttpMethod.GET);
                respond(context, 200, statistics(manager.listener(parts[1])));
            } else if (parts.length == 3 && parts[0].equals("protocols")) {
                requireMethod(method, HttpMethod.POST);
                String name = parts[1];
                CompletionStage<ListenerStatus> operation = switch (parts[2]) {
                    case "restart" -> manager.restart(name);
                    case "stop" -> manager.stop(name);
                    case "start" -> manager.start(name);
                    default -> throw new NotFound("No operation '" + parts[2] + "'; use restart, stop or start");
                };
                operate(context, operation, ManagementHandler::status);
            } else {
                throw new NotFound("No such endpoint: " + path);
            }
        } catch (UnknownListenerException | NotFound e) {
            respond(context, 404, error(e.getMessage()));
        } catch (WrongMethod e) {
            context.response().putHeader("Allow", e.allowed.name());
            respond(context, 405, error(e.getMessage()));
        }
    }

    private static <T> void operate(RoutingContext context, CompletionStage<T> operation, Function<T, Object> body) {
        operation.whenComplete((result, failure) -> {
            if (failure == null) {
                respond(context, 200, body.apply(result));
            } else {
                Throwable cause = failure.getCause() != null && failure instanceof java.util.concurrent.CompletionException
                        ? failure.getCause()
                        : failure;
                respond(context, 409, error(String.valueOf(cause.getMessage())));
            }
        });
    }

    private static void requireMethod(HttpMethod actual, HttpMethod expected) {
        if (!actual.equals(expected)) {
            throw new WrongMethod(expected, actual);
        }
    }

    private static void respond(RoutingContext context, int status, Object body) {
        String text = body instanceof JsonArray array ? array.encode() : ((JsonObject) body).encode();
        context.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(text);
    }

    private static JsonObject error(String message) {
        return new JsonObject().put("error", message);
    }

    static JsonArray statuses(List<ListenerStatus> statuses) {
        JsonArray array = new JsonArray();
        statuses.forEach(status -> array.add(status(status)));
        return array;
    }

    static JsonObject status(ListenerStatus status) {
        JsonObject json = new JsonObject()
                .put("name", status.name())
                .put("state", status.state().name())
                .put("host", status.host())
                .put("port", status.port())
                .put("openConnections", status.openConnections())
                .put("acceptedConnections", status.acceptedConnections())
                .put("refusedConnections", status.refusedConnections())
                .put("lines", status.lines())
                .put("starts", status.starts());
        if (status.startedAt() != null) {
            json.put("startedAt", status.startedAt().toString());
        }
        if (status.failure() != null) {
            json.put("failure", status.failure());
        }
        return json;
    }

    static JsonObject statistics(ManagedListener server) {
        JsonArray commands = new JsonArray();
        for (CommandCount verb : server.statistics().snapshot()) {
            commands.add(new JsonObject()
                    .put("verb", verb.verb())
                    .put("count", verb.count())
                    .put("bytes", verb.bytes())
                    .put("errors", verb.errors())
                    .put("replies", verb.replies())
                    .put("meanLatencyMillis", verb.meanLatencyMillis())
                    .put("maxLatencyMillis", verb.maxLatencyMillis()));
        }
        boolean proxies = server instanceof ProtocolServer protocol && protocol.proxies();
        JsonObject json = new JsonObject().put("protocol", server.name()).put("proxy", proxies);
        if (proxies) {
            ProtocolServer protocol = (ProtocolServer) server;
            json.put("backend", protocol.backend()).put("backendUnavailable", protocol.backendFailures())
                    .put("passThroughConnections", protocol.passThroughConnections());
        }
        json.put("commands", commands);
        server.statisticsDetails().forEach((name, value) -> json.put(name,
                value instanceof Map<?, ?> map ? object(map) : value));
        return json;
    }

    private static JsonObject object(Map<?, ?> map) {
        JsonObject json = new JsonObject();
        map.forEach((key, value) -> json.put(String.valueOf(key), value));
        return json;
    }

    private static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }
    }

    private static final class WrongMethod extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final HttpMethod allowed;

        WrongMethod(HttpMethod allowed, HttpMethod actual) {
            super("Use " + allowed.name() + ", not " + actual.name());
            this.allowed = allowed;
        }
    }
}
