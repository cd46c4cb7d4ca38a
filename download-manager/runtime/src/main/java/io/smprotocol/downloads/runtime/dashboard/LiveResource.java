package io.smprotocol.downloads.runtime.dashboard;

import java.time.Duration;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestStreamElementType;

import io.smallrye.mutiny.Multi;

/**
 * {@code GET /smprotocol/api/live}: the responses in flight as server-sent events, one {@code data:} line of JSON
 * (a list of {@link LiveDownloads.InFlight}) each time the list changes, checked twice a second, and the list once
 * when a client connects. The dashboard's in-progress table listens to it instead of polling the whole list.
 */
@Path("/smprotocol/api/live")
public class LiveResource {

    static final Duration TICK = Duration.ofMillis(500);

    private final LiveDownloads live;

    public LiveResource(LiveDownloads live) {
        this.live = live;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<List<LiveDownloads.InFlight>> inFlight() {
        return Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(TICK)
                .onOverflow().drop()
                .map(tick -> live.snapshot())
                .skip().repetitions();
    }
}
