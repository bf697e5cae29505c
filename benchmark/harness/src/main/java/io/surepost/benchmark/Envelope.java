package io.surepost.benchmark;

import java.nio.charset.StandardCharsets;

/**
 * The benchmark's message: the seed's getQuote request with a WS-Addressing header, padded
 * with a comment element to exactly 1 KB, as integration middleware would send it.
 */
final class Envelope {

    static final int SIZE = 1024;
    static final String CONTENT_TYPE = "text/xml; charset=UTF-8";
    static final String SOAP_ACTION = "urn:getQuote";

    private Envelope() {
    }

    static byte[] oneKilobyte() {
        String head = """
                <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" \
                xmlns:ser="http://services.samples" xmlns:xsd="http://services.samples/xsd" \
                xmlns:wsa="http://www.w3.org/2005/08/addressing">
                   <soapenv:Header>
                      <wsa:To>http://localhost:8080/services/Proxy1</wsa:To>
                      <wsa:Action>urn:getQuote</wsa:Action>
                      <wsa:MessageID>urn:uuid:5f0c8a8e-6a43-4e0b-9d8e-8f3b4c2a1d7e</wsa:MessageID>
                   </soapenv:Header>
                   <soapenv:Body>
                      <ser:getQuote>
                         <ser:request>
                            <xsd:symbol>IBM</xsd:symbol>
                            <xsd:comment>""";
        String tail = """
                </xsd:comment>
                         </ser:request>
                      </ser:getQuote>
                   </soapenv:Body>
                </soapenv:Envelope>
                """;
        int padding = SIZE - head.length() - tail.length();
        if (padding < 0) {
            throw new IllegalStateException("the envelope's frame is already larger than " + SIZE + " bytes");
        }
        byte[] envelope = (head + "x".repeat(padding) + tail).getBytes(StandardCharsets.UTF_8);
        if (envelope.length != SIZE) {
            throw new IllegalStateException("the envelope is " + envelope.length + " bytes, not " + SIZE);
        }
        return envelope;
    }
}
