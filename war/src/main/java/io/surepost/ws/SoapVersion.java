package io.surepost.ws;

/** The two SOAP versions Proxy1 speaks, with what differs between them on the wire. */
public enum SoapVersion {
    SOAP_11("http://schemas.xmlsoap.org/soap/envelope/", "text/xml", "soapenv:Client", "soapenv:Server"),
    SOAP_12("http://www.w3.org/2003/05/soap-envelope", "application/soap+xml", "soapenv:Sender", "soapenv:Receiver");

    private final String namespace;
    private final String mediaType;
    private final String clientFaultCode;
    private final String serverFaultCode;

    SoapVersion(String namespace, String mediaType, String clientFaultCode, String serverFaultCode) {
        this.namespace = namespace;
        this.mediaType = mediaType;
        this.clientFaultCode = clientFaultCode;
        this.serverFaultCode = serverFaultCode;
    }

    public String namespace() {
        return namespace;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The version an envelope namespace stands for, or null. */
    public static SoapVersion ofNamespace(String namespace) {
        for (SoapVersion version : values()) {
            if (version.namespace.equals(namespace)) {
                return version;
            }
        }
        return null;
    }

    /** The version a request's Content-Type announces: application/soap+xml is 1.2, anything else 1.1. */
    public static SoapVersion ofContentType(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/soap+xml")
                ? SOAP_12 : SOAP_11;
    }

    /**
     * A fault envelope of this version.
     *
     * @param client true when the sender is at fault (bad request), false when Surepost is
     */
    public String fault(boolean client, String reason) {
        String code = client ? clientFaultCode : serverFaultCode;
        String text = escape(reason);
        String body = this == SOAP_11
                ? "<soapenv:Fault><faultcode>" + code + "</faultcode><faultstring>" + text + "</faultstring></soapenv:Fault>"
                : "<soapenv:Fault><soapenv:Code><soapenv:Value>" + code + "</soapenv:Value></soapenv:Code>"
                        + "<soapenv:Reason><soapenv:Text xml:lang=\"en\">" + text + "</soapenv:Text></soapenv:Reason></soapenv:Fault>";
        return "<soapenv:Envelope xmlns:soapenv=\"" + namespace + "\"><soapenv:Body>" + body + "</soapenv:Body></soapenv:Envelope>";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? ' ' : c);
            }
        }
        return out.toString();
    }
}
