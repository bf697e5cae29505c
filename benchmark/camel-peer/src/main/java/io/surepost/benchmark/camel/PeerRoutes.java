package io.surepost.benchmark.camel;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.TryDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer's routes (Java DSL). {@link CamelPeer} says what each does and what was tuned.
 * <p>
 * Messages in Original carry Surepost's layout ({@code io.surepost.store.OriginalStoreMessages}:
 * the envelope as a BytesMessage, the id, SOAPAction, content type and receive time as
 * properties, the id also as Artemis's duplicate-detection id), so that a backlog the benchmark
 * builds in Original is the same for both, and a failover row moved back twice is queued once.
 */
final class PeerRoutes extends RouteBuilder {

    static final String MESSAGE_ID = "SurepostMessageId";
    static final String SOAP_ACTION = "SurepostSoapAction";
    static final String CONTENT_TYPE = "SurepostContentType";
    static final String RECEIVED_AT = "SurepostReceivedAt";
    /** Artemis's duplicate-detection property (Message.HDR_DUPLICATE_DETECTION_ID). */
    static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    /** The response header with the id the peer gave the message (the one Surepost's 202 has). */
    static final String HTTP_MESSAGE_ID = "X-Surepost-Message-Id";
    static final String DEFAULT_CONTENT_TYPE = "text/xml; charset=utf-8";
    private static final String DEAD_LETTER_REASON = "PeerDeadLetterReason";
    private static final String DEAD_LETTERED_AT = "PeerDeadLetteredAt";

    private static final String BREAKER_POOL = "peer-breaker";

    /**
     * On H2, after a failover or dead-letter insert (PeerSettings#jdbcSync): H2 forces its file
     * to the disk only at a checkpoint, so without it a row that was answered 202 for (or whose
     * JMS message was acknowledged) survives a crash of the process but not a power loss.
     */
    private static final String SYNC = "sql:CHECKPOINT SYNC";

    private static final Logger LOG = LoggerFactory.getLogger("io.surepost.benchmark.camel");

    private final PeerSettings settings;

    PeerRoutes(PeerSettings settings) {
        this.settings = settings;
    }

    @Override
    public void configure() {
        // The breaker runs each send on a thread of this pool, under its time limit; without one it
        // would use the JVM's common fork-join pool (one thread on a two-core machine)
        getContext().getExecutorServiceManager().registerThreadPoolProfile(new ThreadPoolProfileBuilder(BREAKER_POOL)
                .poolSize(settings.httpWorkers()).maxPoolSize(settings.httpWorkers()).maxQueueSize(1000).build());

        // The forwarder's HTTP client: kept-alive connections, enough per route for every consumer
        HttpComponent http = getContext().getComponent("http", HttpComponent.class);
        http.setMaxTotalConnections(Math.max(200, 2 * settings.forwardingConsumers()));
        http.setConnectionsPerRoute(Math.max(20, 2 * settings.forwardingConsumers()));
        http.setConnectTimeout(5_000);
        // Surepost's forwarding http.timeout
        http.setResponseTimeout(30_000);

        String sql = "?dataSource=#" + CamelPeer.DATA_SOURCE;
        // The JMS send: InOnly (the HTTP exchange is InOut, which would make it a request-reply),
        // a BytesMessage, persistent (the JMS default delivery mode; Artemis blocks on a durable send
        // until the broker has it, so the send returns once the message is stored)
        String original = "jms:queue:Original?exchangePattern=InOnly&jmsMessageType=Bytes&deliveryPersistent=true";

        ingest(sql, original);
        forwarder(sql);
        drain(sql, original);
        control(sql);
    }

    /** POST /services/Proxy1 → breaker(send to Original) or the failover table → 202; neither → 503. */
    private void ingest(String sql, String original) {
        from("platform-http:/services/Proxy1?httpMethodRestrict=POST").routeId("ingest")
                .process(PeerRoutes::accept)
                .circuitBreaker()
                    .resilience4jConfiguration()
                        // A count window over the last 10 sends; at least 5 of them before it may open,
                        // open at half of them failed, probe again after 2 s (Surepost's broker.probe.interval)
                        .slidingWindowSize(10).minimumNumberOfCalls(5).failureRateThreshold(50)
                        .waitDurationInOpenState(2).permittedNumberOfCallsInHalfOpenState(1)
                        // A send that takes longer than Surepost's store.broker.send.timeout (3 s) counts as failed
                        .timeoutEnabled(true).timeoutDuration(settings.breakerTimeoutMillis())
                        .timeoutExecutorService(BREAKER_POOL)
                    .end()
                    .to(original)
                    .process(PeerRoutes::accepted)
                .onFallback()
                    .to("direct:failover")
                .end();

        // The breaker's fallback: the failover table → 202, or 503 when the insert fails. It answers
        // itself, in a doTry of its own: the fallback runs with the exchange marked as handled,
        // which neither the route's onException nor a doCatch around the breaker would see.
        TryDefinition failover = from("direct:failover").routeId("failover")
                .doTry()
                    .to("sql:insert into peer_failover (id, envelope, content_type, soap_action, created)"
                            + " values (:#${header." + MESSAGE_ID + "}, :#${body}, :#${header." + CONTENT_TYPE + "},"
                            + " :#${header." + SOAP_ACTION + "}, :#${header." + RECEIVED_AT + "})"
                            // a bounded wait on a stalled database (Surepost's store.failover.write.timeout, 5 s)
                            + sql + "&template.queryTimeout=5");
        if (settings.syncAfterInsert()) {
            failover.to(SYNC + sql);
        }
        failover.process(PeerRoutes::accepted)
                .doCatch(Exception.class)
                    .process(exchange -> answer(exchange, 503, "Not stored: neither the broker nor the failover database took the message ("
                            + reason(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)) + ")"))
                .end();
    }

    /**
     * Original → POST to the backend, in a local JMS transaction; after 3 redeliveries (1 s, 2 s,
     * 4 s: Surepost's four attempts with back-off) the message goes to the dead-letter table.
     */
    private void forwarder(String sql) {
        // transacted + lazyCreateTransactionManager=false: a transacted JMS session with the
        // consumer cached (the Camel JMS documentation's advice for local transactions, as a
        // JmsTransactionManager would open a connection and session per message)
        from("jms:queue:Original?transacted=true&lazyCreateTransactionManager=false&cacheLevelName=CACHE_CONSUMER"
                + "&concurrentConsumers=" + settings.forwardingConsumers()
                + "&maxConcurrentConsumers=" + settings.forwardingConsumers())
                .routeId("forwarder")
                .autoStartup(settings.forwardingAutostart())
                .errorHandler(deadLetterChannel("direct:dead-letter")
                        // a failed dead-letter write must roll the JMS transaction back (the broker
                        // redelivers), not be logged and dropped as the channel does by default
                        .deadLetterHandleNewException(false)
                        .useOriginalMessage()
                        .maximumRedeliveries(3).redeliveryDelay(1000).useExponentialBackOff().backOffMultiplier(2)
                        .maximumRedeliveryDelay(300_000)
                        .retryAttemptedLogLevel(LoggingLevel.DEBUG))
                .process(PeerRoutes::toBackend)
                // camel-http: a pooled, kept-alive HttpClient 5; any status >= 300 is a failure
                .to(settings.backendUrl() + (settings.backendUrl().contains("?") ? "&" : "?") + "httpMethod=POST");

        RouteDefinition deadLetter = from("direct:dead-letter").routeId("dead-letter").errorHandler(noErrorHandler())
                .process(exchange -> {
                    exchange.getMessage().setHeader(DEAD_LETTER_REASON,
                            reason(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)));
                    exchange.getMessage().setHeader(DEAD_LETTERED_AT, System.currentTimeMillis());
                })
                .convertBodyTo(byte[].class)
                .to("sql:insert into peer_dead_letter (message_id, envelope, content_type, soap_action, reason, created)"
                        + " values (:#${header." + MESSAGE_ID + "}, :#${body}, :#${header." + CONTENT_TYPE + "},"
                        + " :#${header." + SOAP_ACTION + "}, :#${header." + DEAD_LETTER_REASON + "},"
                        + " :#${header." + DEAD_LETTERED_AT + "})" + sql);
        if (settings.syncAfterInsert()) {
            deadLetter.to(SYNC + sql);
        }
    }

    /**
     * Every second, up to 1000 failover rows (oldest first) back to Original: each row is sent
     * first and deleted after, so a crash in between queues it again, and the broker's duplicate
     * detection drops the second copy. A tick stops at its first failed send (the broker is down:
     * the rest waits for the next tick) and logs one line.
     */
    private void drain(String sql, String original) {
        // a fixed delay between ticks (java.util.Timer, fixedRate=false): a long drain does not pile up
        from("timer:peer-drain?delay=1000&period=1000").routeId("drain")
                // doTry/doCatch below: one line per failed tick, no redelivery, no stack trace
                .errorHandler(noErrorHandler())
                .doTry()
                    .to("sql:select id, envelope, content_type, soap_action, created from peer_failover"
                            + " order by created fetch first 1000 rows only" + sql)
                    .split(body()).stopOnException()
                        .process(exchange -> {
                            Message message = exchange.getMessage();
                            Map<?, ?> row = message.getBody(Map.class);
                            message.removeHeaders("*");
                            String id = String.valueOf(row.get("id"));
                            message.setHeader(MESSAGE_ID, id);
                            message.setHeader(DUPLICATE_ID, id);
                            message.setHeader(CONTENT_TYPE, String.valueOf(row.get("content_type")));
                            message.setHeader(SOAP_ACTION, row.get("soap_action") == null ? "" : String.valueOf(row.get("soap_action")));
                            message.setHeader(RECEIVED_AT, ((Number) row.get("created")).longValue());
                            message.setBody(row.get("envelope"), byte[].class);
                        })
                        .to(original)
                        .to("sql:delete from peer_failover where id = :#${header." + MESSAGE_ID + "}" + sql)
                    .endDoTry()
                .doCatch(Exception.class)
                    .process(exchange -> LOG.warn("drain: a send to Original failed, the rest waits for the next tick ({})",
                            reason(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class))))
                .end();
    }

    /** The harness's handles: health, starting and stopping the forwarder, and the failover table's depth. */
    private void control(String sql) {
        from("platform-http:/control/failover/count?httpMethodRestrict=GET").routeId("control-failover-count")
                .to("sql:select count(*) from peer_failover" + sql + "&outputType=SelectOne")
                .process(exchange -> answer(exchange, 200, String.valueOf(exchange.getMessage().getBody(Long.class))));
        from("platform-http:/control/forwarder/start?httpMethodRestrict=POST").routeId("control-forwarder-start")
                .process(exchange -> {
                    exchange.getContext().getRouteController().startRoute("forwarder");
                    answer(exchange, 200, "forwarder started");
                });
        from("platform-http:/control/forwarder/stop?httpMethodRestrict=POST").routeId("control-forwarder-stop")
                .process(exchange -> {
                    // graceful: the messages in flight finish (their transactions commit) first
                    exchange.getContext().getRouteController().stopRoute("forwarder", 30, TimeUnit.SECONDS);
                    answer(exchange, 200, "forwarder stopped");
                });
        // Started last: once it answers, every route that starts with the peer has started
        from("platform-http:/control/health?httpMethodRestrict=GET").routeId("control-health").startupOrder(100_000)
                .process(exchange -> {
                    boolean up = exchange.getContext().getStatus().isStarted();
                    answer(exchange, up ? 200 : 503, up ? "ok" : "starting");
                });
    }

    /** The accepted request as a message for Original: the envelope bytes and Surepost's properties, nothing else. */
    private static void accept(Exchange exchange) {
        Message message = exchange.getMessage();
        byte[] envelope = message.getBody(byte[].class);
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        String soapAction = message.getHeader("SOAPAction", String.class);
        String id = UUID.randomUUID().toString();
        message.removeHeaders("*");
        message.setHeader(MESSAGE_ID, id);
        message.setHeader(DUPLICATE_ID, id);
        message.setHeader(CONTENT_TYPE, contentType == null || contentType.isBlank() ? DEFAULT_CONTENT_TYPE : contentType);
        message.setHeader(SOAP_ACTION, soapAction == null ? "" : unquote(soapAction));
        message.setHeader(RECEIVED_AT, System.currentTimeMillis());
        message.setBody(envelope == null ? new byte[0] : envelope);
    }

    /** A message of Original as the backend's request: the envelope, its Content-Type and SOAPAction. */
    private static void toBackend(Exchange exchange) {
        Message message = exchange.getMessage();
        String id = message.getHeader(MESSAGE_ID, String.class);
        String contentType = message.getHeader(CONTENT_TYPE, String.class);
        String soapAction = message.getHeader(SOAP_ACTION, String.class);
        message.removeHeaders("*");
        message.setHeader(Exchange.CONTENT_TYPE, contentType == null ? DEFAULT_CONTENT_TYPE : contentType);
        message.setHeader("SOAPAction", "\"" + (soapAction == null ? "" : soapAction) + "\"");
        if (id != null) {
            message.setHeader(HTTP_MESSAGE_ID, id);
        }
        message.setBody(message.getBody(byte[].class));
    }

    /** 202 with the message id, as Surepost answers. */
    private static void accepted(Exchange exchange) {
        String id = exchange.getMessage().getHeader(MESSAGE_ID, String.class);
        answer(exchange, 202, null);
        exchange.getMessage().setHeader(HTTP_MESSAGE_ID, id);
    }

    /** The HTTP answer: only the status and a short text body (or none), no route headers echoed. */
    private static void answer(Exchange exchange, int status, String text) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        if (text == null) {
            // an empty body (not null): Vert.x then answers with Content-Length: 0, not chunked
            message.setBody(new byte[0]);
        } else {
            message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            message.setBody(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String unquote(String soapAction) {
        String s = soapAction.trim();
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static String reason(Throwable e) {
        if (e == null) {
            return "unknown";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return text.length() > 2000 ? text.substring(0, 2000) : text;
    }
}
