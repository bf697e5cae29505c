package io.surepost.it;

import static io.surepost.it.Surepost.backendLinesOf;
import static io.surepost.it.Surepost.eventually;
import static io.surepost.it.Surepost.serverLinesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The seed's happy path through the real EAR, broker and backend. */
@ExtendWith(ArquillianExtension.class)
class Proxy1IT {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @Test
    void seedPayloadIsAcceptedWithAnEmpty202() {
        HttpResponse<String> response = Surepost.postSeedEnvelope();

        assertEquals(202, response.statusCode(), response::body);
        assertEquals("", response.body());
        assertTrue(response.headers().firstValue(Surepost.MESSAGE_ID_HEADER).isPresent(), "the 202 names the message id");
    }

    @Test
    void backendLogsTheSeedLinesWithTheIdProxy1LoggedAtAccept() {
        String id = Surepost.accept();

        assertTrue(serverLinesOf(id).stream().anyMatch(line -> line.contains("Message " + id + " accepted (HTTP 202, stored in Original)")),
                "Proxy1 logs the accept with the id");
        eventually().until(() -> backendLinesOf(id).size() == 3);
        List<String> lines = backendLinesOf(id);
        assertTrue(lines.get(0).contains("INFO  [wso2/stockquote_service] - Stock quote service invoked."), lines.get(0));
        assertTrue(lines.get(1).contains("INFO  [wso2/stockquote_service] - Generating getQuote response for IBM"), lines.get(1));
        assertTrue(lines.get(2).contains("INFO  [wso2/stockquote_service] - Stock quote generated."), lines.get(2));
    }

    @Test
    void fullLogLevelLogsTheEnvelopeWithItsId() {
        String id = Surepost.accept();

        String log = String.join("\n", Surepost.lines(Surepost.serverLog()));
        int received = log.indexOf("Message " + id + " received");
        int stored = log.indexOf("Message " + id + " accepted (HTTP 202, stored in Original)");
        assertTrue(received >= 0 && stored > received, "Proxy1 logs the message, then that it stored it");
        assertTrue(log.substring(received, stored).contains("<xsd:symbol>IBM</xsd:symbol>"), "the seed's log level=full shows the envelope");
    }

    @Test
    void soap12EnvelopeIsAcceptedAndDelivered() {
        String soap12 = """
                <soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:ser="http://services.samples" xmlns:xsd="http://services.samples/xsd">
                   <soap:Body><ser:getQuote><ser:request><xsd:symbol>IBM</xsd:symbol></ser:request></ser:getQuote></soap:Body>
                </soap:Envelope>""";

        HttpResponse<String> response = Surepost.post(soap12, "application/soap+xml; charset=UTF-8; action=\"urn:getQuote\"");

        assertEquals(202, response.statusCode(), response::body);
        String id = response.headers().firstValue(Surepost.MESSAGE_ID_HEADER).orElseThrow();
        eventually().until(() -> backendLinesOf(id).size() == 3);
    }

    @Test
    void wsdlDescribesTheOneWayGetQuoteInTheSeedsNamespaces() {
        String wsdl = Surepost.get(Surepost.WSDL);

        assertTrue(wsdl.contains("targetNamespace=\"http://services.samples\""), wsdl);
        assertTrue(wsdl.contains("targetNamespace=\"http://services.samples/xsd\""), wsdl);
        assertTrue(wsdl.contains("<wsdl:operation name=\"getQuote\">"), wsdl);
        assertTrue(!wsdl.contains("<wsdl:output"), "getQuote is one-way: no output message");
        assertTrue(wsdl.contains("location=\"http://localhost:8080/services/Proxy1\""), wsdl);
    }
}
