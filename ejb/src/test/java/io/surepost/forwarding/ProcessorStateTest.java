package io.surepost.forwarding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessorStateTest {

    private final ProcessorState state = new ProcessorState(() -> 0L);

    @Test
    void nothingIsDeliveredBeforeTheSharedStateIsRead() {
        assertFalse(state.mayDeliver());
        assertTrue(state.describe(true).startsWith("inactive: waiting to read the state every node shares"), state.describe(true));

        state.sharedStateApplied();

        assertTrue(state.mayDeliver());
        assertEquals("active", state.describe(true));
    }

    @Test
    void aMessageThatArrivesBeforeTheSharedStateIsReadWaitsForItInsteadOfGoingBack() throws Exception {
        assertFalse(state.awaitSharedState(10), "not read yet: the wait ends at its deadline");
        java.util.concurrent.CompletableFuture<Boolean> waiting = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> state.awaitSharedState(30_000) && state.mayDeliver());

        state.sharedStateApplied();

        assertTrue(waiting.get(30, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void aStopBeforeTheFirstStepEndsTheWaitAndTheMessageGoesBack() {
        state.stopping("stopped on node-2");

        assertTrue(state.awaitSharedState(10));
        assertFalse(state.mayDeliver());
    }

    @Test
    void aStopTheSharedStateAsksForDeliversNothingBeforeWildFlyHasStoppedDelivery() {
        state.sharedStateApplied();
        state.stopping("stopped on node-2");

        assertFalse(state.mayDeliver(), "a message WildFly hands over while delivery stops goes back untouched");
        assertEquals("inactive: stopped on node-2", state.describe(true));
    }

    @Test
    void aStopTheSharedStateAskedForIsNotUndoneWhenTheStepEnds() {
        state.stopping("stopped on node-2");
        state.deactivated();
        state.sharedStateApplied();

        assertEquals("inactive: stopped on node-2", state.describe(false));
    }
}
