package io.surepost.backend;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seed's sample backend. {@code getQuote} logs the three lines the seed shows,
 * followed by the Surepost message id it received, and answers a getQuoteResponse.
 * <p>
 * Usage: {@code java -jar surepost-backend.jar [port]} (default 9000, loopback only).
 */
public final class SimpleStockQuoteService {

    /** Where the seed's backend lives. */
    public static final String PATH = "/services/SimpleStockQuoteService";
    /** The HTTP header Surepost puts the message id in. */
    public static final String MESSAGE_ID_HEADER = "X-Surepost-Message-Id";

    private static final Pattern SYMBOL = Pattern.compile("<(?:[\\w.-]+:)?symbol>\\s*([^<]*?)\\s*</(?:[\\w.-]+:)?symbol>");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    private final PrintStream log;

    SimpleStockQuoteService(PrintStream log) {
        this.log = log;
    }

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9000;
        // TCP_NODELAY on accepted connections: without it every response waits ~40 ms for a
        // delayed ACK (Nagle), which would make the backend, not Surepost, the bottleneck
        System.setProperty("sun.net.httpserver.nodelay", "true");
        SimpleStockQuoteService service = new SimpleStockQuoteService(System.out);
        HttpServer server = service.start(new InetSocketAddress("127.0.0.1", port));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
    }

    HttpServer start(InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 128);
        ExecutorService workers = Executors.newFixedThreadPool(32);
        server.setExecutor(workers);
        server.createContext(PATH, this::handle);
        server.start();
        line("INFO", "SimpleStockQuoteService started on http://" + address.getHostString() + ":"
                + server.getAddress().getPort() + PATH);
        return server;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "text/plain", "POST a SOAP getQuote request");
                return;
            }
            String request;
            try (InputStream in = exchange.getRequestBody()) {
                request = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String messageId = exchange.getRequestHeaders().getFirst(MESSAGE_ID_HEADER);
            Matcher symbol = SYMBOL.matcher(request);
            if (!request.contains("getQuote") || !symbol.find()) {
                line("WARN", "Not a getQuote request; answering a SOAP fault" + idSuffix(messageId));
                respond(exchange, 500, "text/xml;charset=UTF-8", fault("Expected a getQuote request with a symbol"));
                return;
            }
            respond(exchange, 200, "text/xml;charset=UTF-8", getQuote(symbol.group(1), messageId));
        }
    }

    /** The seed's three lines, as one block so concurrent requests do not interleave them. */
    String getQuote(String symbol, String messageId) {
        String id = idSuffix(messageId);
        synchronized (log) {
            line("INFO", "Stock quote service invoked." + id);
            line("INFO", "Generating getQuote response for " + symbol + id);
            line("INFO", "Stock quote generated." + id);
        }
        double last = ThreadLocalRandom.current().nextDouble(50, 200);
        return "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
                + "<ns:getQuoteResponse xmlns:ns=\"http://services.samples\"><ns:return xmlns:ax21=\"http://services.samples/xsd\">"
                + "<ax21:symbol>" + escape(symbol) + "</ax21:symbol>"
                + "<ax21:last>" + String.format(Locale.ROOT, "%.2f", last) + "</ax21:last>"
                + "</ns:return></ns:getQuoteResponse></soapenv:Body></soapenv:Envelope>";
    }

    private static String idSuffix(String messageId) {
        return messageId == null ? "" : " [message-id=" + messageId + "]";
    }

    private void line(String level, String text) {
        log.println(TIME.format(LocalDateTime.now()) + " " + String.format("%-5s", level) + " [wso2/stockquote_service] - " + text);
        log.flush();
    }

    private static String fault(String reason) {
        return "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><soapenv:Fault>"
                + "<faultcode>soapenv:Client</faultcode><faultstring>" + escape(reason) + "</faultstring>"
                + "</soapenv:Fault></soapenv:Body></soapenv:Envelope>";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
