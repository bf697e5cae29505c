package io.surepost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input gets a SOAP fault that says what is wrong, a 4xx status, and nothing reaches
 * the Original queue (the broker's own counter of added messages does not move).
 */
@ExtendWith(ArquillianExtension.class)
class BadInputIT {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @Test
    void malformedXmlGetsAClientFaultAndNothingIsQueued() {
        long added = Broker.messagesAdded(Broker.ORIGINAL);

        HttpResponse<String> response = Surepost.post("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><a>",
                "text/xml");

        assertFault(response, 400, "The request body is not well-formed XML");
        assertEquals(added, Broker.messagesAdded(Broker.ORIGINAL), "nothing was queued");
    }

    @Test
    void nonSoapXmlBodyGetsAClientFaultAndNothingIsQueued() {
        long added = Broker.messagesAdded(Broker.ORIGINAL);

        HttpResponse<String> response = Surepost.post("<getQuote><symbol>IBM</symbol></getQuote>", "text/xml");

        assertFault(response, 400, "The request is XML but not a SOAP message");
        assertEquals(added, Broker.messagesAdded(Broker.ORIGINAL), "nothing was queued");
    }

    @Test
    void emptyBodyGetsAClientFaultAndNothingIsQueued() {
        long added = Broker.messagesAdded(Broker.ORIGINAL);

        HttpResponse<String> response = Surepost.post("", "text/xml");

        assertFault(response, 400, "The request body is empty");
        assertEquals(added, Broker.messagesAdded(Broker.ORIGINAL), "nothing was queued");
    }

    @Test
    void documentTypeDeclarationIsRefusedAndNothingIsQueued() {
        long added = Broker.messagesAdded(Broker.ORIGINAL);
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>"
                + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><a>&lol2;</a></soapenv:Body></soapenv:Envelope>";

        HttpResponse<String> response = Surepost.post(bomb, "text/xml");

        assertFault(response, 400, "document type declaration");
        assertEquals(added, Broker.messagesAdded(Broker.ORIGINAL), "nothing was queued");
    }

    @Test
    void aContentTypeWithAControlCharacterIsRefusedNamingTheHeaderAndNothingIsQueued() {
        long added = Broker.messagesAdded(Broker.ORIGINAL);

        Surepost.RawResponse response = Surepost.postRaw("text/xml; x=\u0001", "\"urn:getQuote\"", Surepost.SEED_ENVELOPE);

        assertEquals(400, response.status(), response::body);
        assertTrue(response.body().contains("Content-Type header holds a character that cannot be passed on"), response::body);
        assertEquals(added, Broker.messagesAdded(Broker.ORIGINAL), "nothing was queued");
    }

    @Test
    void aSoapActionLongerThanTheStoresKeepIsRefusedAndNothingIsQueued() {
        long added = Broker.messagesAdded(Broker.ORIGINAL);

        Surepost.RawResponse response = Surepost.postRaw("text/xml", "\"" + "a".repeat(1200) + "\"", Surepost.SEED_ENVELOPE);

        assertEquals(400, response.status(), response::body);
        assertTrue(response.body().contains("SOAPAction header is 1202 characters long; Proxy1 accepts at most 1000"), response::body);
        assertEquals(added, Broker.messagesAdded(Broker.ORIGINAL), "nothing was queued");
    }

    @Test
    void anEnvelopeOverTheSizeLimitIsRefusedWith413AndNothingIsQueued() {
        long added = Broker.messagesAdded(Broker.ORIGINAL);
        String big = Surepost.SEED_ENVELOPE.replace("<soapenv:Header/>", "<soapenv:Header><pad>" + "x".repeat(1_100_000) + "</pad></soapenv:Header>");

        HttpResponse<String> response = Surepost.post(big, "text/xml");

        assertFault(response, 413, "The request is larger than 1048576 bytes");
        assertEquals(added, Broker.messagesAdded(Broker.ORIGINAL), "nothing was queued");
    }

    @Test
    void badInputDoesNotDisturbTheNextMessage() {
        Surepost.post("not xml at all", "text/xml");

        String id = Surepost.accept();

        Surepost.eventually().until(() -> Surepost.backendLinesOf(id).size() == 3);
    }

    private static void assertFault(HttpResponse<String> response, int status, String reason) {
        assertEquals(status, response.statusCode(), response::body);
        assertTrue(response.body().contains("<faultstring>"), () -> "a SOAP 1.1 fault: " + response.body());
        assertTrue(response.body().contains(reason), () -> "the fault says '" + reason + "': " + response.body());
        assertTrue(!response.body().contains("at io.surepost") && !response.body().contains("Exception"),
                () -> "no stack trace or exception name reaches the client: " + response.body());
    }
}
