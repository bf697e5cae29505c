package io.surepost.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimpleStockQuoteServiceTest {

    private static final String SEED = """
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ser="http://services.samples" xmlns:xsd="http://services.samples/xsd">
               <soapenv:Header/>
               <soapenv:Body><ser:getQuote><ser:request><xsd:symbol>IBM</xsd:symbol></ser:request></ser:getQuote></soapenv:Body>
            </soapenv:Envelope>""";

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = new SimpleStockQuoteService(new PrintStream(log, true, StandardCharsets.UTF_8))
                .start(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void getQuoteLogsTheSeedsThreeLinesWithTheMessageId() throws Exception {
        HttpResponse<String> response = post(SEED, "0190-test-id");

        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("<ax21:symbol>IBM</ax21:symbol>"), response.body());
        List<String> lines = log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("0190-test-id")).toList();
        assertEquals(3, lines.size(), log.toString(StandardCharsets.UTF_8));
        assertTrue(lines.get(0).endsWith("INFO  [wso2/stockquote_service] - Stock quote service invoked. [message-id=0190-test-id]"), lines.get(0));
        assertTrue(lines.get(1).endsWith("INFO  [wso2/stockquote_service] - Generating getQuote response for IBM [message-id=0190-test-id]"), lines.get(1));
        assertTrue(lines.get(2).endsWith("INFO  [wso2/stockquote_service] - Stock quote generated. [message-id=0190-test-id]"), lines.get(2));
    }

    @Test
    void somethingOtherThanGetQuoteGetsAFault() throws Exception {
        HttpResponse<String> response = post("<x/>", "id");

        assertEquals(500, response.statusCode());
        assertTrue(response.body().contains("<faultstring>Expected a getQuote request with a symbol</faultstring>"), response.body());
    }

    private HttpResponse<String> post(String body, String id) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + SimpleStockQuoteService.PATH);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "text/xml").header(SimpleStockQuoteService.MESSAGE_ID_HEADER, id)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
