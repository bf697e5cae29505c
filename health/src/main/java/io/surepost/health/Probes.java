package io.surepost.health;

/**
 * What the health checks ask Surepost, answered by the EJB module's {@code SurepostProbes}
 * (found at {@link #JNDI_NAME}). Each answer comes within its own deadline.
 */
public interface Probes {

    /** The EJB module's implementation, under the EAR's name {@code surepost}. */
    String JNDI_NAME = "java:global/surepost/surepost-ejb/SurepostProbes!io.surepost.health.Probes";

    /** The broker answers its management address (Original's depth). */
    Probe broker();

    /** The failover database answers, and its backlog is under the {@link HealthThresholds}. */
    Probe failoverStore();

    /** Every forwarding processor of the layout is active (each one's state). */
    Probe forwarding();

    /** The node's name. */
    String node();
}
