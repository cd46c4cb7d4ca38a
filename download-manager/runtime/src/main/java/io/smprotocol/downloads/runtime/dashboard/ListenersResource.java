package io.smprotocol.downloads.runtime.dashboard;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;
import io.smprotocol.CommandCount;
import io.smprotocol.ListenerStatus;
import io.smprotocol.Listeners;
import io.smprotocol.UnknownListenerException;

/**
 * The listeners' state, their per-command figures and their restart on the application's HTTP port, under the stats
 * API's prefix: {@code GET /smprotocol/api/listeners}, {@code GET /smprotocol/api/listeners/NAME/commands} and
 * {@code POST /smprotocol/api/listeners/NAME/restart}. The management
 * endpoints ({@code /q/smprotocol/protocols}) answer the same on the management interface, which usually listens on
 * another port (or another address) that a page served here cannot reach; this resource calls the {@link Listeners}
 * bean in process instead, so the page needs one origin and the same access rules as the stats API cover both.
 */
@Path("/smprotocol/api/listeners")
@Produces(MediaType.APPLICATION_JSON)
public class ListenersResource {

    private final Listeners listeners;

    public ListenersResource(Listeners listeners) {
        this.listeners = listeners;
    }

    @GET
    public List<ListenerStatus> statuses() {
        return listeners.statuses();
    }

    @GET
    @Path("{name}/commands")
    public Response commands(@PathParam("name") String name) {
        try {
            List<CommandCount> commands = listeners.commands(name);
            return Response.ok(commands).build();
        } catch (UnknownListenerException e) {
            return unknown(name);
        }
    }

    @POST
    @Path("{name}/restart")
    public Uni<Response> restart(@PathParam("name") String name) {
        try {
            return Uni.createFrom().completionStage(listeners.restart(name))
                    .map(status -> Response.ok(status).build())
                    .onFailure().recoverWithItem(failure -> Response.status(Response.Status.INTERNAL_SERVER_ERROR)
                            .type(MediaType.APPLICATION_JSON).entity(Map.of("error", String.valueOf(failure.getMessage())))
                            .build());
        } catch (UnknownListenerException e) {
            return Uni.createFrom().item(unknown(name));
        }
    }

    private static Response unknown(String name) {
        return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", "no listener " + name)).build();
    }
}
