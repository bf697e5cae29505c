package io.surepost.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SoapVersionTest {

    @Test
    void soap11ClientFaultHasFaultcodeAndEscapedFaultstring() {
        String fault = SoapVersion.SOAP_11.fault(true, "root is <foo> & more");

        assertTrue(fault.contains("<faultcode>soapenv:Client</faultcode>"), fault);
        assertTrue(fault.contains("<faultstring>root is &lt;foo&gt; &amp; more</faultstring>"), fault);
    }

    @Test
    void soap12ServerFaultHasReceiverCodeAndReasonText() {
        String fault = SoapVersion.SOAP_12.fault(false, "broker down");

        assertTrue(fault.contains("<soapenv:Value>soapenv:Receiver</soapenv:Value>"), fault);
        assertTrue(fault.contains("<soapenv:Text xml:lang=\"en\">broker down</soapenv:Text>"), fault);
    }

    @Test
    void contentTypeTellsTheVersion() {
        assertEquals(SoapVersion.SOAP_12, SoapVersion.ofContentType("application/soap+xml; charset=UTF-8"));
        assertEquals(SoapVersion.SOAP_11, SoapVersion.ofContentType("text/xml"));
        assertEquals(SoapVersion.SOAP_11, SoapVersion.ofContentType(null));
    }
}
