package io.surepost.config;

import java.util.function.UnaryOperator;

/**
 * The Original store's settings (the seed's JmsStore "Original") and the accept path's
 * bounds, read together and checked before a message sees them ({@link StoreConfiguration}).
 *
 * @param guaranteedDelivery        {@code store.producer.guaranteed.delivery.enable}: fall back to the failover store when the broker fails
 * @param failoverStoreName         {@code store.failover.message.store.name}: the failover store's name in logs and status
 * @param brokerProbeIntervalMillis after a failed send, how long requests skip the broker and go straight to the failover store
 * @param brokerSendTimeoutMillis   the longest a request waits for the broker to confirm a send (a stall, lost replies, a full disk)
 * @param failoverWriteTimeoutMillis the longest a request waits for the failover store to commit and sync a row; then a 503
 * @param preserveOrder             opt-in: while the failover store holds rows, new messages go there too (acceptance order)
 * @param brokerRoutes              {@code store.broker.routes}: how many brokers of the node's ordered list to use (0: all it has)
 */
public record StoreSettings(boolean guaranteedDelivery, String failoverStoreName, long brokerProbeIntervalMillis,
                            long brokerSendTimeoutMillis, long failoverWriteTimeoutMillis, boolean preserveOrder,
                            int brokerRoutes) {

    /** Reads every store setting from the system properties now; throws with a message naming a bad one. */
    public static StoreSettings read() {
        return read(System::getProperty);
    }

    public static StoreSettings defaults() {
        return read(name -> null);
    }

    static StoreSettings read(UnaryOperator<String> properties) {
        String s = Settings.STORE;
        return new StoreSettings(
                Settings.bool(s + "producer.guaranteed.delivery.enable", properties.apply(s + "producer.guaranteed.delivery.enable"), true),
                Settings.orDefault(properties.apply(s + "failover.message.store.name"), "failover"),
                Settings.positiveInt(s + "broker.probe.interval", properties.apply(s + "broker.probe.interval"), 2000),
                Settings.positiveInt(s + "broker.send.timeout", properties.apply(s + "broker.send.timeout"), 3000),
                Settings.positiveInt(s + "failover.write.timeout", properties.apply(s + "failover.write.timeout"), 5000),
                Settings.bool(s + "preserve.order", properties.apply(s + "preserve.order"), false),
                Settings.nonNegativeInt(s + "broker.routes", properties.apply(s + "broker.routes"), 0));
    }
}
