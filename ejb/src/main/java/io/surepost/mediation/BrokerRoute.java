package io.surepost.mediation;

import jakarta.jms.ConnectionFactory;

/**
 * One entry of a node's ordered broker list: a producer connection factory bound to one
 * broker (in a cluster, one broker pair: its primary and, while the primary is away, its
 * backup), with its own breaker. The first route is the node's own broker.
 *
 * @param number  1 for the first broker in the list, 2 for the next, ...
 * @param factory the pooled producer connection factory
 * @param breaker whether this broker failed recently
 */
public record BrokerRoute(int number, ConnectionFactory factory, BrokerBreaker breaker) {

    /** How status and logs name it. */
    public String label() {
        return "broker " + number;
    }
}
