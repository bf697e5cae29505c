package io.surepost.admin;

import io.surepost.forwarding.ProcessorControl;
import io.surepost.forwarding.ProcessorState;
import io.surepost.forwarding.Processors;
import io.surepost.store.FailoverStore;
import io.surepost.store.ProcessorRecord;
import io.surepost.store.ProcessorStateStore;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /processors}, {@code GET /processors/{name}} and
 * {@code POST /processors/{name}/activate|deactivate}. A change is written to the state every
 * node shares (SUREPOST_PROCESSOR); each node's ProcessorSyncTask applies it within a second,
 * and it stays, across restarts, until an operator changes it again.
 */
@RequestScoped
@Path("/processors")
@Produces(MediaType.APPLICATION_JSON)
public class ProcessorsResource {

    /** The state every node follows: who or what chose it, where and when. */
    public record Shared(boolean active, String reason, String changedOn, Instant changedAt) {
    }

    /**
     * A processor on this node: {@code state} is {@code active}, {@code retrying: last failure}
     * or {@code inactive: why}; the deliveries under way; the shared state; the settings in force.
     */
    public record Processor(String name, String node, String state, String inFlight, Shared shared, String settings) {
    }

    @Inject
    private Processors processors;

    @EJB
    private ProcessorStateStore states;

    @Inject
    private AuditLog audit;

    @Context
    private SecurityContext security;

    @GET
    public List<Processor> processors() {
        return processors.names().stream().map(this::view).toList();
    }

    @GET
    @Path("/{name}")
    public Processor processor(@PathParam("name") String name) {
        return view(known(name));
    }

    @POST
    @Path("/{name}/activate")
    public Processor activate(@PathParam("name") String name) {
        return change(known(name), true);
    }

    @POST
    @Path("/{name}/deactivate")
    public Processor deactivate(@PathParam("name") String name) {
        return change(known(name), false);
    }

    private Processor change(String name, boolean active) {
        String user = AuditLog.who(security);
        states.write(name, active, active ? "" : "deactivated by " + user + " through the admin API"
                + " (POST /surepost/api/processors/" + name + "/activate starts it on every node)", FailoverStore.node());
        audit.change(security, active ? "activate" : "deactivate", List.of(name), "done: every node follows within a second");
        return view(name);
    }

    private String known(String name) {
        if (!processors.names().contains(name)) {
            throw ApiException.notFound("There is no forwarding processor '" + Text.shown(name) + "' here; there are "
                    + String.join(" and ", processors.names()) + ".");
        }
        return name;
    }

    private Processor view(String name) {
        ProcessorState state = processors.state(name);
        Shared shared;
        try {
            shared = states.read(name).map(ProcessorsResource::shared).orElse(new Shared(true, "", null, null));
        } catch (RuntimeException e) {
            shared = null; // the database cannot be read now: the node's own state still answers
        }
        return new Processor(name, FailoverStore.node(), state.describe(ProcessorControl.deliveryActive(name)), state.describeInFlight(),
                shared, processors.configuration(name).describe());
    }

    private static Shared shared(ProcessorRecord record) {
        return new Shared(record.isActive(), record.getReason(), record.getChangedOn(), record.getChangedAt());
    }
}
