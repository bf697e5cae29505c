package io.surepost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.surepost.it.client.GetQuoteRequest;
import io.surepost.it.client.Proxy1;
import io.surepost.it.client.Proxy1PortType;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A JAX-WS client generated (wsimport) from Proxy1's WSDL, reading the WSDL Proxy1 serves
 * at runtime, calls the one-way getQuote; the message reaches the backend.
 */
@ExtendWith(ArquillianExtension.class)
class GeneratedClientIT {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @Test
    void generatedClientCallsGetQuoteAndTheBackendReceivesIt() throws Exception {
        String symbol = "GEN" + System.nanoTime();
        Proxy1PortType port = new Proxy1(new URL(Surepost.WSDL.toString())).getProxy1HttpSoap11Endpoint();
        GetQuoteRequest request = new GetQuoteRequest();
        request.setSymbol(symbol);

        port.getQuote(request);

        Surepost.eventually().until(() -> quotesFor(symbol) >= 1);
        assertEquals(1, quotesFor(symbol), "delivered once");
    }

    private static long quotesFor(String symbol) {
        return Surepost.lines(Surepost.backendLog()).stream()
                .filter(line -> line.contains("Generating getQuote response for " + symbol + " ")).count();
    }
}
