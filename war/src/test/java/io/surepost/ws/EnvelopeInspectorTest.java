package io.surepost.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;

class EnvelopeInspectorTest {

    private static final String SEED = """
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ser="http://services.samples" xmlns:xsd="http://services.samples/xsd">
               <soapenv:Header/>
               <soapenv:Body>
                  <ser:getQuote>
                     <ser:request>
                        <xsd:symbol>IBM</xsd:symbol>
                     </ser:request>
                  </ser:getQuote>
               </soapenv:Body>
            </soapenv:Envelope>
            """;

    @Test
    void seedEnvelopeIsSoap11WithGetQuote() throws InvalidEnvelopeException {
        EnvelopeInspector.Envelope envelope = EnvelopeInspector.inspect(bytes(SEED));

        assertEquals(SoapVersion.SOAP_11, envelope.version());
        assertEquals(new QName("http://services.samples", "getQuote"), envelope.payload());
    }

    @Test
    void soap12EnvelopeIsRecognised() throws InvalidEnvelopeException {
        String soap12 = "<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\"><e:Body><q/></e:Body></e:Envelope>";

        assertEquals(SoapVersion.SOAP_12, EnvelopeInspector.inspect(bytes(soap12)).version());
    }

    @Test
    void emptyBodyIsRefused() {
        assertReason("", "The request body is empty");
        assertReason("  \n", "The request body is empty");
    }

    @Test
    void malformedXmlIsRefusedWithWhereItBreaks() {
        String reason = reason("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><a></b>");

        assertTrue(reason.startsWith("The request body is not well-formed XML: "), reason);
        assertTrue(reason.contains("(line 1, column"), reason);
    }

    @Test
    void xmlThatIsNotSoapIsRefused() {
        assertReason("<getQuote/>", "The request is XML but not a SOAP message: its root element is <getQuote>");
    }

    @Test
    void envelopeWithoutBodyIsRefused() {
        assertReason("<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Header/></e:Envelope>",
                "The SOAP Envelope has no Body.");
    }

    @Test
    void emptySoapBodyIsRefused() {
        assertReason("<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body/></e:Envelope>",
                "The SOAP Body is empty");
    }

    @Test
    void foreignElementInTheEnvelopeIsRefused() {
        assertReason("<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><x/><e:Body><q/></e:Body></e:Envelope>",
                "The SOAP Envelope may hold only a Header and a Body");
    }

    @Test
    void entityExpansionBombIsRefusedBeforeExpansion() {
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
                + "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body><q>&b;</q></e:Body></e:Envelope>";

        assertReason(bomb, "document type declaration");
    }

    @Test
    void tooDeepNestingIsRefused() {
        String deep = "<a>".repeat(EnvelopeInspector.MAX_DEPTH) + "</a>".repeat(EnvelopeInspector.MAX_DEPTH);
        String envelope = "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body>" + deep + "</e:Body></e:Envelope>";

        assertReason(envelope, "deeper than 100 levels");
    }

    private static void assertReason(String body, String expected) {
        String reason = reason(body);
        assertTrue(reason.contains(expected), () -> "'" + reason + "' should say '" + expected + "'");
    }

    private static String reason(String body) {
        return assertThrows(InvalidEnvelopeException.class, () -> EnvelopeInspector.inspect(bytes(body))).getMessage();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
