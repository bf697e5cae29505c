package io.surepost.store;

import io.surepost.journey.JourneyEvent;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/** One journey event as SUREPOST_JOURNEY keeps it (see {@link JourneyEvent}). */
@Entity
@Table(name = "SUREPOST_JOURNEY", indexes = {
        @Index(name = "SUREPOST_JOURNEY_MESSAGE_ID", columnList = "MESSAGE_ID"),
        @Index(name = "SUREPOST_JOURNEY_AT", columnList = "AT")})
public class JourneyRecord {

    /** Keys per value of SUREPOST_JOURNEY_SEQ (JourneyStore writes the rows, a block at a time). */
    static final int ALLOCATION_SIZE = 100;

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "surepost_journey_seq")
    @SequenceGenerator(name = "surepost_journey_seq", sequenceName = "SUREPOST_JOURNEY_SEQ", allocationSize = ALLOCATION_SIZE)
    @Column(name = "SEQUENCE_NO")
    private long sequence;

    @Column(name = "MESSAGE_ID", nullable = false, length = 36)
    private String messageId;

    @Column(name = "AT", nullable = false)
    private Instant at;

    @Column(name = "EVENT", nullable = false, length = 64)
    private String event;

    @Column(name = "NODE", length = 255)
    private String node;

    @Column(name = "STATUS", nullable = false)
    private int status;

    @Column(name = "DURATION_MILLIS", nullable = false)
    private long durationMillis;

    @Column(name = "DETAIL", length = 2000)
    private String detail;

    protected JourneyRecord() {
        // for JPA
    }

    JourneyEvent toEvent() {
        return new JourneyEvent(messageId, at, event, node, status, durationMillis, detail);
    }
}
