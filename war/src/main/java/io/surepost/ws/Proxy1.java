package io.surepost.ws;

import io.surepost.config.ProxyConfiguration;
import io.surepost.config.StoreConfiguration;
import io.surepost.journey.Journey;
import io.surepost.mediation.StoreMediator;
import io.surepost.mediation.StoreUnavailableException;
import io.surepost.message.LogText;
import io.surepost.message.SoapMessage;
import io.surepost.metrics.SurepostMetrics;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.xml.soap.SOAPConstants;
import jakarta.xml.soap.SOAPException;
import jakarta.xml.soap.SOAPFactory;
import jakarta.xml.soap.SOAPFault;
import jakarta.xml.ws.Provider;
import jakarta.xml.ws.Service;
import jakarta.xml.ws.ServiceMode;
import jakarta.xml.ws.WebServiceContext;
import jakarta.xml.ws.WebServiceException;
import jakarta.xml.ws.WebServiceProvider;
import jakarta.xml.ws.handler.MessageContext;
import jakarta.xml.ws.soap.SOAPFaultException;
import java.nio.charset.StandardCharsets;
import javax.xml.transform.Source;
import org.jboss.logging.Logger;
import org.jboss.ws.api.annotation.EndpointConfig;

/**
 * The seed's Proxy1: accepts a SOAP message, has the {@link StoreMediator} store it
 * durably, and only then answers {@code 202 Accepted} with an empty body (the seed's
 * {@code FORCE_SC_ACCEPTED} and {@code OUT_ONLY}). When no store takes the message the
 * client gets a SOAP fault with HTTP 503 and can send it again.
 * <p>
 * The operation is one-way. The endpoint runs it as "robust one-way"
 * ({@code WEB-INF/jaxws-endpoint-config.xml}): the 202 is sent after this method returns,
 * not before it is called, which is what makes the 202 a promise.
 * {@link Proxy1RequestFilter} has already checked the envelope and kept its bytes.
 * <p>
 * This class is the SOAP 1.1 port; {@link Proxy1Soap12} is the SOAP 1.2 port of the same
 * service. Both are reached at /services/Proxy1: the filter routes by SOAP version.
 */
@WebServiceProvider(serviceName = "Proxy1", portName = "Proxy1HttpSoap11Endpoint",
        targetNamespace = "http://services.samples", wsdlLocation = "WEB-INF/wsdl/Proxy1.wsdl")
@ServiceMode(Service.Mode.PAYLOAD)
@EndpointConfig(configFile = "WEB-INF/jaxws-endpoint-config.xml", configName = "Proxy1")
public class Proxy1 implements Provider<Source> {

    /** Where {@link Proxy1RequestFilter} forwards SOAP 1.2 requests posted to /Proxy1. */
    static final String SOAP12_PATH = "/Proxy1/soap12";

    private static final Logger LOG = Logger.getLogger("io.surepost.ws");

    /** At log level full, the most envelope bytes one log line shows. */
    static final int LOGGED_ENVELOPE_BYTES = 4096;

    @Resource
    private WebServiceContext context;

    @EJB
    private StoreMediator mediator;

    @Inject
    private ProxyConfiguration proxyConfiguration;

    @Inject
    private StoreConfiguration storeConfiguration;

    @Inject
    private Journey journey;

    @Inject
    private SurepostMetrics metrics;

    @Override
    public Source invoke(Source payload) {
        HttpServletRequest http = (HttpServletRequest) context.getMessageContext().get(MessageContext.SERVLET_REQUEST);
        byte[] envelope = (byte[]) http.getAttribute(Proxy1RequestFilter.ENVELOPE);
        EnvelopeInspector.Envelope inspected = (EnvelopeInspector.Envelope) http.getAttribute(Proxy1RequestFilter.INSPECTED);
        if (envelope == null || inspected == null) {
            throw new WebServiceException("Proxy1 was reached without its request filter; check the deployment's web.xml");
        }
        long started = System.nanoTime();
        SoapMessage message = SoapMessage.accept(envelope, http.getContentType(), http.getHeader("SOAPAction"));
        log(message, inspected);
        StoreMediator.Destination destination;
        try {
            destination = mediator.store(message);
        } catch (StoreUnavailableException e) {
            metrics.refused("stores-unavailable");
            http.setAttribute(Proxy1RequestFilter.FAULT_STATUS, 503);
            LOG.warnf("Message %s refused (HTTP 503): %s", message.id(), e.getMessage());
            throw serverFault(inspected.version(), e.getMessage());
        }
        // The client learns the id its message travels under (backend header, logs, stores)
        HttpServletResponse response = (HttpServletResponse) context.getMessageContext().get(MessageContext.SERVLET_RESPONSE);
        response.setHeader(SoapMessage.Headers.HTTP_MESSAGE_ID, message.id());
        String where = destination == StoreMediator.Destination.ORIGINAL ? "Original"
                : "the failover store '" + storeConfiguration.current().failoverStoreName() + "'";
        LOG.infof("Message %s accepted (HTTP 202, stored in %s)", message.id(), where);
        metrics.accepted(destination == StoreMediator.Destination.ORIGINAL ? "original" : "failover", System.nanoTime() - started);
        // At the time of acceptance: the message may be on its way to the backend already
        journey.accepted(message.id(), message.receivedAt(), (System.nanoTime() - started) / 1_000_000, where,
                "from " + http.getRemoteAddr() + ", SOAPAction " + message.soapAction() + ", " + message.envelope().length + " bytes");
        return null;
    }

    private void log(SoapMessage message, EnvelopeInspector.Envelope inspected) {
        if (proxyConfiguration.current().logFull()) {
            LOG.infof("Message %s received: Direction: request, SOAPAction: %s, Payload: %s, Envelope: %s",
                    message.id(), LogText.escape(message.soapAction()), LogText.escape(inspected.payload().toString()),
                    envelopeForLog(message.envelope()));
        } else {
            LOG.infof("Message %s received: Direction: request, SOAPAction: %s, Payload: %s, %d bytes",
                    message.id(), LogText.escape(message.soapAction()), LogText.escape(inspected.payload().toString()),
                    message.envelope().length);
        }
    }

    /** The envelope as the log shows it: escaped, and cut after its first {@link #LOGGED_ENVELOPE_BYTES} bytes. */
    static String envelopeForLog(byte[] envelope) {
        if (envelope.length <= LOGGED_ENVELOPE_BYTES) {
            return LogText.escape(new String(envelope, StandardCharsets.UTF_8));
        }
        return LogText.escape(new String(envelope, 0, LOGGED_ENVELOPE_BYTES, StandardCharsets.UTF_8))
                + " ... (" + envelope.length + " bytes, the first " + LOGGED_ENVELOPE_BYTES + " shown)";
    }

    private static SOAPFaultException serverFault(SoapVersion version, String reason) {
        try {
            SOAPFactory factory = SOAPFactory.newInstance(version == SoapVersion.SOAP_12
                    ? SOAPConstants.SOAP_1_2_PROTOCOL : SOAPConstants.SOAP_1_1_PROTOCOL);
            SOAPFault fault = factory.createFault(reason, version == SoapVersion.SOAP_12
                    ? SOAPConstants.SOAP_RECEIVER_FAULT
                    : new javax.xml.namespace.QName(SOAPConstants.URI_NS_SOAP_1_1_ENVELOPE, "Server"));
            return new SOAPFaultException(fault);
        } catch (SOAPException e) {
            throw new WebServiceException(reason, e);
        }
    }
}
