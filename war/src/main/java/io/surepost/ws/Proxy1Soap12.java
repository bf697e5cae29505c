package io.surepost.ws;

import jakarta.xml.ws.BindingType;
import jakarta.xml.ws.Service;
import jakarta.xml.ws.ServiceMode;
import jakarta.xml.ws.WebServiceProvider;
import jakarta.xml.ws.soap.SOAPBinding;
import org.jboss.ws.api.annotation.EndpointConfig;

/**
 * Proxy1's SOAP 1.2 port. A JAX-WS endpoint speaks one SOAP version, so SOAP 1.2 requests
 * posted to /services/Proxy1 are forwarded here by {@link Proxy1RequestFilter}; the
 * behaviour is {@link Proxy1}'s.
 */
@WebServiceProvider(serviceName = "Proxy1", portName = "Proxy1HttpSoap12Endpoint",
        targetNamespace = "http://services.samples", wsdlLocation = "WEB-INF/wsdl/Proxy1.wsdl")
@ServiceMode(Service.Mode.PAYLOAD)
@BindingType(SOAPBinding.SOAP12HTTP_BINDING)
@EndpointConfig(configFile = "WEB-INF/jaxws-endpoint-config.xml", configName = "Proxy1")
public class Proxy1Soap12 extends Proxy1 {
}
