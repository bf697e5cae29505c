package io.surepost.forwarding;

import io.surepost.store.OriginalLayout;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/**
 * The forwarding processors of this server, by name, each with its state and settings:
 * <ul>
 * <li>{@value #FORWARDING}, always: it consumes the Original queue, or, in the topic layout,
 *     its own subscription on the Original topic;</li>
 * <li>{@value #SECOND}, in the topic layout only ({@link OriginalLayout}): its own
 *     subscription, delivered to its own endpoint
 *     ({@code surepost.forwarding.second.target.endpoint}).</li>
 * </ul>
 * The names are the MDBs' names, the broker's subscription queues and the rows of the state
 * every node shares. One per server.
 */
@ApplicationScoped
public class Processors {

    public static final String FORWARDING = "ForwardingProcessor";
    public static final String SECOND = "SecondForwardingProcessor";

    @Inject
    private ForwardingConfiguration forwarding;

    private ForwardingConfiguration second;
    private OriginalLayout layout;
    private Map<String, ProcessorState> states;

    @PostConstruct
    void create() {
        layout = OriginalLayout.current();
        second = ForwardingConfiguration.second();
        states = Map.of(FORWARDING, new ProcessorState(), SECOND, new ProcessorState());
        if (layout.topic()) {
            second.current(); // a bad setting is reported at deployment, not at the first message
        }
    }

    /** The processors in force, the ForwardingProcessor first. */
    public List<String> names() {
        return layout.topic() ? List.of(FORWARDING, SECOND) : List.of(FORWARDING);
    }

    public OriginalLayout layout() {
        return layout;
    }

    public ProcessorState state(String processor) {
        ProcessorState state = states.get(processor);
        if (state == null) {
            throw new IllegalArgumentException("no forwarding processor named " + processor);
        }
        return state;
    }

    public ForwardingConfiguration configuration(String processor) {
        return SECOND.equals(processor) ? second : forwarding;
    }
}
