package io.surepost.forwarding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessorSyncTest {

    /** The shared row of the database, and the writes it saw. */
    private static final class Row implements ProcessorSync.SharedState {
        ProcessorSync.Shared shared = ProcessorSync.Shared.NONE;
        int writes;

        @Override
        public ProcessorSync.Shared read() {
            return shared;
        }

        @Override
        public void write(boolean active, String reason) {
            shared = new ProcessorSync.Shared(active, reason);
            writes++;
        }
    }

    /** One node's MDB delivery; {@code stuck} makes its stops fail. */
    private static final class Node implements ProcessorSync.Node {
        boolean active = true;
        boolean stuck;
        String stoppedBecause = "";

        @Override
        public boolean deliveryActive() {
            return active;
        }

        @Override
        public void startDelivery() {
            active = true;
        }

        @Override
        public void stopDelivery(String reason) {
            stoppedBecause = reason;
            if (!stuck) {
                active = false;
            }
        }
    }

    private final Row row = new Row();

    @Test
    void anOperatorsStartRightAfterThePolicysDeactivationHereIsKeptAndShared() {
        ProcessorSync sync = new ProcessorSync();
        Node node = new Node();
        sync.step(row, node, "node-1");
        // the policy: records the stop for every node, stops delivery here
        row.write(false, "message X failed 4 attempts");
        node.active = false;
        sync.stoppedHere();
        // an operator starts it again before the next step
        node.active = true;

        sync.step(row, node, "node-1");

        assertTrue(node.active, "the start is not undone");
        assertTrue(row.shared.active(), "and every node follows it");
    }

    @Test
    void aProcessorDeployedInactiveIsStartedWhenTheSharedStateSaysActiveAndWritesNothing() {
        Node deployedOff = new Node();
        deployedOff.active = false;

        new ProcessorSync(false).step(row, deployedOff, "node-1");

        assertTrue(deployedOff.active);
        assertEquals(0, row.writes);
    }

    @Test
    void aProcessorDeployedInactiveStaysInactiveWhenTheSharedStateSaysSo() {
        row.shared = new ProcessorSync.Shared(false, "stopped on node-2");
        Node deployedOff = new Node();
        deployedOff.active = false;

        new ProcessorSync(false).step(row, deployedOff, "node-1");

        assertFalse(deployedOff.active);
        assertEquals("stopped on node-2", deployedOff.stoppedBecause);
        assertEquals(0, row.writes);
    }

    @Test
    void aDeactivationBeforeARestartStaysAfterIt() {
        row.shared = new ProcessorSync.Shared(false, "message X failed 4 attempts");
        Node restarted = new Node();

        new ProcessorSync().step(row, restarted, "node-1");

        assertFalse(restarted.active);
        assertEquals("message X failed 4 attempts", restarted.stoppedBecause);
        assertEquals(0, row.writes);
    }

    @Test
    void aNodeThatStartsWithNothingSharedRunsAndRecordsNothing() {
        Node starting = new Node(); // WildFly deploys the MDB with its delivery on

        new ProcessorSync().step(row, starting, "node-1");

        assertTrue(starting.active);
        assertEquals(0, row.writes, "nothing to record: it runs, as it did");
    }

    @Test
    void anOperatorsStopBeforeTheFirstStepIsSharedNotUndone() {
        Node justDeployed = new Node();
        justDeployed.active = false; // stop-delivery right after the deployment

        new ProcessorSync().step(row, justDeployed, "node-1");

        assertFalse(justDeployed.active, "the operator's stop stays");
        assertFalse(row.shared.active(), "and every node follows it");
        assertTrue(row.shared.reason().contains("node-1"), row.shared.reason());
    }

    @Test
    void aNodeThatStartsWhileTheClusterSaysInactiveStopsAndSaysWhy() {
        row.shared = new ProcessorSync.Shared(false, "stopped on node-2");
        Node starting = new Node();

        new ProcessorSync().step(row, starting, "node-1");

        assertFalse(starting.active);
        assertEquals("stopped on node-2", starting.stoppedBecause, "the reason shows on this node too");
        assertEquals(0, row.writes);
    }

    @Test
    void aStopOnOneNodeStopsTheOthersAndAStartOnAnotherStartsThemAll() {
        Node one = new Node();
        Node two = new Node();
        ProcessorSync syncOne = new ProcessorSync();
        ProcessorSync syncTwo = new ProcessorSync();
        syncOne.step(row, one, "node-1");
        syncTwo.step(row, two, "node-2");

        one.active = false; // an operator's stop-delivery on node 1
        syncOne.step(row, one, "node-1");
        syncTwo.step(row, two, "node-2");

        assertFalse(row.shared.active());
        assertTrue(row.shared.reason().contains("node-1"), row.shared.reason());
        assertFalse(two.active, "node 2 follows");

        two.active = true; // start-delivery on node 2
        syncTwo.step(row, two, "node-2");
        syncOne.step(row, one, "node-1");

        assertTrue(row.shared.active());
        assertTrue(one.active, "node 1 follows");
    }

    @Test
    void aPolicyDeactivationAlreadySharedIsNotWrittenAgain() {
        Node node = new Node();
        ProcessorSync sync = new ProcessorSync();
        sync.step(row, node, "node-1");

        row.write(false, "message X failed 4 attempts (max.delivery.drop=Disabled)"); // the policy records it first
        node.active = false; // then stops delivery
        sync.step(row, node, "node-1");

        assertEquals(1, row.writes);
        assertEquals("message X failed 4 attempts (max.delivery.drop=Disabled)", row.shared.reason());
    }

    @Test
    void aStopThatFailsHereIsTriedAgainAndNeverStartsTheOthers() {
        row.shared = new ProcessorSync.Shared(false, "stopped on node-2");
        Node node = new Node();
        node.stuck = true;
        ProcessorSync sync = new ProcessorSync();

        sync.step(row, node, "node-1");
        sync.step(row, node, "node-1");

        assertFalse(row.shared.active(), "the failed stop is not taken for a start");
        assertEquals(0, row.writes);
        node.stuck = false;
        sync.step(row, node, "node-1");
        assertFalse(node.active);
    }
}
