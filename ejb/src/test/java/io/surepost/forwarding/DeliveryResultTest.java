package io.surepost.forwarding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeliveryResultTest {

    private static final String QUOTE = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
            + "<ns:getQuoteResponse xmlns:ns=\"http://services.samples\"/></soapenv:Body></soapenv:Envelope>";
    private static final String FAULT = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
            + "<soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>down</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>";

    @Test
    void okWithAResponseIsDelivered() {
        assertTrue(DeliveryResult.ofResponse(200, QUOTE).delivered());
    }

    @Test
    void acceptedWithNoBodyIsDelivered() {
        assertTrue(DeliveryResult.ofResponse(202, "").delivered());
    }

    @Test
    void serverErrorIsAFailureThatNamesTheStatus() {
        DeliveryResult result = DeliveryResult.ofResponse(500, FAULT);

        assertFalse(result.delivered());
        assertEquals(500, result.statusCode());
        assertEquals("backend answered HTTP 500", result.reason());
    }

    @Test
    void soapFaultInsideA200IsAFailure() {
        DeliveryResult result = DeliveryResult.ofResponse(200, FAULT);

        assertFalse(result.delivered());
        assertEquals("backend answered HTTP 200 with a SOAP fault", result.reason());
    }

    @Test
    void anElementMerelyNamedLikeFaultIsNoFault() {
        assertTrue(DeliveryResult.ofResponse(200, "<a><FaultTolerance/></a>").delivered());
    }

    @Test
    void redirectIsAFailure() {
        assertFalse(DeliveryResult.ofResponse(302, "").delivered());
    }

    @Test
    void unreachableBackendHasNoStatus() {
        DeliveryResult result = DeliveryResult.unreachable("backend refused the connection");

        assertFalse(result.delivered());
        assertEquals(0, result.statusCode());
    }
}
