package io.surepost.ws;

import io.surepost.config.ProxyConfiguration;
import io.surepost.config.ProxySettings;
import io.surepost.message.LogText;
import io.surepost.metrics.SurepostMetrics;
import io.surepost.store.StoredEnvelope;
import jakarta.inject.Inject;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Guards Proxy1: reads the request body once (up to {@code surepost.proxy.max.envelope.bytes}),
 * rejects what is not an acceptable SOAP envelope with a SOAP fault that says why (nothing
 * is stored, nothing reaches the endpoint), and hands the exact bytes on to {@link Proxy1},
 * which stores them verbatim. It also lets Proxy1 choose the HTTP status of a fault
 * (503 when no store took the message).
 * <p>
 * It works in two passes. The first checks the headers and reads the body with non-blocking
 * I/O ({@link BodyReader}): no worker thread waits for a client that sends slowly or not at
 * all, and a body that has not fully arrived within {@code surepost.proxy.request.timeout}
 * gets a 408 fault. Once the body is in, the request is dispatched again (an async
 * dispatch, on a worker thread): the second pass inspects it and goes on to the endpoint.
 */
public class Proxy1RequestFilter implements Filter {

    /** Request attribute: the envelope bytes exactly as received. */
    static final String ENVELOPE = Proxy1RequestFilter.class.getName() + ".envelope";
    /** Request attribute: what {@link EnvelopeInspector} found. */
    static final String INSPECTED = Proxy1RequestFilter.class.getName() + ".inspected";
    /** Request attribute Proxy1 sets to the HTTP status its SOAP fault must carry. */
    static final String FAULT_STATUS = Proxy1RequestFilter.class.getName() + ".faultStatus";

    private static final Logger LOG = Logger.getLogger("io.surepost.ws");

    @Inject
    private ProxyConfiguration configuration;

    @Inject
    private SurepostMetrics metrics;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (!"POST".equals(request.getMethod())) {
            chain.doFilter(request, response); // ?wsdl and friends
            return;
        }
        SoapVersion announced = SoapVersion.ofContentType(request.getContentType());
        if (request.getDispatcherType() != DispatcherType.ASYNC) {
            // First pass: the headers, then the body read without holding a worker thread
            ProxySettings settings = configuration.current();
            try {
                checkContentType(request.getContentType());
                checkForwardable("Content-Type", request.getContentType(), StoredEnvelope.MAX_CONTENT_TYPE);
                checkForwardable("SOAPAction", request.getHeader("SOAPAction"), StoredEnvelope.MAX_SOAP_ACTION);
                checkLength(request.getContentLengthLong(), settings.maxEnvelopeBytes());
            } catch (InvalidEnvelopeException e) {
                refuse(request, response, announced, e);
                return;
            }
            BodyReader.start(request, response, announced, settings.maxEnvelopeBytes(), settings.requestBodyTimeoutMillis());
            return;
        }
        // Second pass: the body has arrived (check it, then on to the endpoint), or it was refused
        if (request.getAttribute(BodyReader.REFUSAL) instanceof InvalidEnvelopeException refused) {
            response.setHeader("Connection", "close"); // the rest of the body is not read
            refuse(request, response, announced, refused);
            return;
        }
        byte[] body = (byte[]) request.getAttribute(BodyReader.BODY);
        EnvelopeInspector.Envelope envelope;
        try {
            envelope = EnvelopeInspector.inspect(body);
        } catch (InvalidEnvelopeException e) {
            refuse(request, response, announced, e);
            return;
        }
        request.setAttribute(ENVELOPE, body);
        request.setAttribute(INSPECTED, envelope);
        ReplayingRequest replaying = new ReplayingRequest(request, body);
        FaultStatusResponse choosingStatus = new FaultStatusResponse(response, request);
        if (envelope.version() == SoapVersion.SOAP_12 && !Proxy1.SOAP12_PATH.equals(request.getServletPath())) {
            // One JAX-WS endpoint speaks one SOAP version: SOAP 1.2 goes to Proxy1's SOAP 1.2 port
            request.getRequestDispatcher(Proxy1.SOAP12_PATH).forward(replaying, choosingStatus);
        } else {
            chain.doFilter(replaying, choosingStatus);
        }
    }

    private static void checkContentType(String contentType) throws InvalidEnvelopeException {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (!type.startsWith("text/xml") && !type.startsWith("application/soap+xml")) {
            throw new InvalidEnvelopeException(415, "The request's Content-Type is '" + (contentType == null ? "" : contentType)
                    + "'; Proxy1 accepts text/xml (SOAP 1.1) or application/soap+xml (SOAP 1.2).");
        }
    }

    /**
     * A header Proxy1 keeps and sends on to the backend must fit its column in the stores and
     * be a valid HTTP header value for the backend client: printable ASCII, nothing else.
     */
    static void checkForwardable(String header, String value, int maxLength) throws InvalidEnvelopeException {
        if (value == null) {
            return;
        }
        if (value.length() > maxLength) {
            throw new InvalidEnvelopeException(400, "The request's " + header + " header is " + value.length()
                    + " characters long; Proxy1 accepts at most " + maxLength + ".");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7e) {
                throw new InvalidEnvelopeException(400, "The request's " + header + " header holds a character that cannot be"
                        + " passed on to the backend (code " + (int) c + " at position " + (i + 1) + "); use printable ASCII only.");
            }
        }
    }

    /** A request that announces a body above the limit is refused before any of it is read. */
    static void checkLength(long contentLength, int limit) throws InvalidEnvelopeException {
        if (contentLength > limit) {
            throw tooLarge(limit);
        }
    }

    static InvalidEnvelopeException tooLarge(int limit) {
        return new InvalidEnvelopeException(413, "The request is larger than " + limit
                + " bytes, the most Proxy1 accepts (surepost.proxy.max.envelope.bytes).");
    }

    /** Counts the refusal (surepost.messages.refused, by status), then answers it. */
    private void refuse(HttpServletRequest request, HttpServletResponse response, SoapVersion version, InvalidEnvelopeException e)
            throws IOException {
        metrics.refused("http-" + e.getHttpStatus());
        reject(request, response, version, e);
    }

    static void reject(HttpServletRequest request, HttpServletResponse response, SoapVersion version, InvalidEnvelopeException e)
            throws IOException {
        LOG.warnf("Proxy1 rejected a request from %s (HTTP %d): %s", request.getRemoteAddr(), e.getHttpStatus(), LogText.escape(e.getMessage()));
        writeFault(response, version, true, e.getHttpStatus(), e.getMessage());
    }

    static void writeFault(HttpServletResponse response, SoapVersion version, boolean client, int status, String reason) throws IOException {
        byte[] fault = version.fault(client, reason).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(version.mediaType() + ";charset=UTF-8");
        response.setContentLength(fault.length);
        response.getOutputStream().write(fault);
    }

    /** Replays the already-read body to the JAX-WS runtime. */
    private static final class ReplayingRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        ReplayingRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("Proxy1 reads its requests synchronously");
                }
            };
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }

    /**
     * Turns the JAX-WS runtime's generic fault status 500 into the one Proxy1 chose, and holds
     * the response until the request is over. The one-way runtime flushes its empty 202 while
     * the request is still unwinding; a client that sends its next message on the same
     * connection at once then finds Undertow between two requests, and Undertow's I/O thread
     * busy-waits for the request to finish (with every core taken, for a whole scheduler time
     * slice). Undertow flushes the response itself when the request ends.
     */
    private static final class FaultStatusResponse extends HttpServletResponseWrapper {
        private final HttpServletRequest request;
        private ServletOutputStream held;

        FaultStatusResponse(HttpServletResponse response, HttpServletRequest request) {
            super(response);
            this.request = request;
        }

        @Override
        public void setStatus(int status) {
            Object chosen = request.getAttribute(FAULT_STATUS);
            super.setStatus(status == 500 && chosen instanceof Integer code ? code : status);
        }

        @Override
        public void flushBuffer() {
            // Undertow flushes when the request ends
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (held == null) {
                ServletOutputStream out = super.getOutputStream();
                held = new ServletOutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        out.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void flush() {
                        // Undertow flushes when the request ends
                    }

                    @Override
                    public void close() {
                        // nor may the runtime end the response early by closing it
                    }

                    @Override
                    public boolean isReady() {
                        return out.isReady();
                    }

                    @Override
                    public void setWriteListener(jakarta.servlet.WriteListener listener) {
                        out.setWriteListener(listener);
                    }
                };
            }
            return held;
        }
    }
}
