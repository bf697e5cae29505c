package io.surepost.ws;

import java.io.ByteArrayInputStream;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Checks, in one streaming pass and before anything is stored, that a request body is a
 * SOAP envelope Proxy1 can accept: well-formed XML, no DTD (SOAP forbids them, and they
 * carry entity-expansion bombs), a SOAP 1.1 or 1.2 Envelope with a Body holding an
 * element, and no deeper nesting than {@link #MAX_DEPTH}. Every rejection says why, in
 * words a person understands.
 */
public final class EnvelopeInspector {

    /** Deepest element nesting accepted (the limit JBossWS/CXF apply as well). */
    public static final int MAX_DEPTH = 100;

    private static final XMLInputFactory FACTORY = createFactory();

    /** What the inspection found out about a valid envelope. */
    public record Envelope(SoapVersion version, QName payload) {
    }

    private EnvelopeInspector() {
    }

    private static XMLInputFactory createFactory() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        return factory;
    }

    /**
     * @return the SOAP version and the Body's first element
     * @throws InvalidEnvelopeException with the reason the body is not acceptable
     */
    public static Envelope inspect(byte[] body) throws InvalidEnvelopeException {
        if (body.length == 0 || isBlank(body)) {
            throw new InvalidEnvelopeException("The request body is empty: Proxy1 expects a SOAP envelope.");
        }
        XMLStreamReader reader = null;
        try {
            reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
            return scan(reader);
        } catch (XMLStreamException e) {
            throw new InvalidEnvelopeException("The request body is not well-formed XML: " + describe(e));
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing to release beyond the byte array
                }
            }
        }
    }

    private static Envelope scan(XMLStreamReader reader) throws XMLStreamException, InvalidEnvelopeException {
        SoapVersion version = null;
        QName payload = null;
        boolean header = false;
        boolean body = false;
        int depth = 0;
        while (reader.hasNext()) {
            int event = reader.next();
            switch (event) {
                case XMLStreamConstants.DTD -> throw new InvalidEnvelopeException(
                        "The request contains a document type declaration (DTD); SOAP messages must not have one.");
                case XMLStreamConstants.ENTITY_REFERENCE -> throw new InvalidEnvelopeException(
                        "The request refers to the undeclared entity '&" + reader.getLocalName() + ";'.");
                case XMLStreamConstants.START_ELEMENT -> {
                    depth++;
                    if (depth > MAX_DEPTH) {
                        throw new InvalidEnvelopeException("The request nests elements deeper than " + MAX_DEPTH + " levels.");
                    }
                    if (depth == 1) {
                        version = SoapVersion.ofNamespace(reader.getNamespaceURI());
                        if (version == null || !"Envelope".equals(reader.getLocalName())) {
                            throw new InvalidEnvelopeException("The request is XML but not a SOAP message: its root element is "
                                    + name(reader.getName()) + ", expected a SOAP 1.1 or 1.2 Envelope.");
                        }
                    } else if (depth == 2) {
                        boolean soap = version.namespace().equals(reader.getNamespaceURI());
                        if (soap && "Header".equals(reader.getLocalName()) && !header && !body) {
                            header = true;
                        } else if (soap && "Body".equals(reader.getLocalName()) && !body) {
                            body = true;
                        } else {
                            throw new InvalidEnvelopeException("The SOAP Envelope may hold only a Header and a Body, but holds "
                                    + name(reader.getName()) + ".");
                        }
                    } else if (depth == 3 && body && payload == null) {
                        payload = reader.getName();
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> depth--;
                default -> {
                    // text, comments, processing instructions: nothing to check
                }
            }
        }
        if (!body) {
            throw new InvalidEnvelopeException("The SOAP Envelope has no Body.");
        }
        if (payload == null) {
            throw new InvalidEnvelopeException("The SOAP Body is empty: it must hold the request, e.g. getQuote.");
        }
        return new Envelope(version, payload);
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static String name(QName name) {
        return name.getNamespaceURI().isEmpty() ? "<" + name.getLocalPart() + ">"
                : "<" + name.getLocalPart() + "> in namespace " + name.getNamespaceURI();
    }

    /** The parser's complaint without its Java noise, with line and column. */
    private static String describe(XMLStreamException e) {
        String text = e.getMessage() == null ? e.toString() : e.getMessage();
        int message = text.indexOf("Message: ");
        if (message >= 0) {
            text = text.substring(message + "Message: ".length());
        }
        text = text.strip();
        if (e.getLocation() != null && e.getLocation().getLineNumber() > 0) {
            text += " (line " + e.getLocation().getLineNumber() + ", column " + e.getLocation().getColumnNumber() + ")";
        }
        return text;
    }
}
