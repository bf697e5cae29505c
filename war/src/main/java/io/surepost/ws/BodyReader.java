package io.surepost.ws;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.jboss.logging.Logger;

/**
 * Reads a request body with non-blocking I/O: Undertow calls it as bytes arrive, so no worker
 * thread waits for a client that sends slowly or stops. When the whole body is in, it puts it
 * in the request attribute {@link #BODY} and dispatches the request again (to a worker
 * thread). A body over the size limit gets a 413 fault as soon as the limit is passed; one
 * that has not fully arrived by the deadline gets a 408 fault; either way the connection's
 * request ends there.
 */
final class BodyReader implements ReadListener, AsyncListener {

    /** Request attribute: the body, once it has fully arrived. */
    static final String BODY = BodyReader.class.getName() + ".body";

    private static final Logger LOG = Logger.getLogger("io.surepost.ws");

    private final AsyncContext async;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final SoapVersion version;
    private final ServletInputStream in;
    private final int limit;
    private final long timeoutMillis;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
    private final byte[] buffer = new byte[8192];
    /** Set once the request is handed on or answered: nothing else may touch it then. */
    private boolean over;

    private BodyReader(AsyncContext async, HttpServletRequest request, HttpServletResponse response, SoapVersion version,
                       ServletInputStream in, int limit, long timeoutMillis) {
        this.async = async;
        this.request = request;
        this.response = response;
        this.version = version;
        this.in = in;
        this.limit = limit;
        this.timeoutMillis = timeoutMillis;
    }

    /** Starts reading the body of this request; the caller returns at once. */
    static void start(HttpServletRequest request, HttpServletResponse response, SoapVersion version, int limit, long timeoutMillis)
            throws IOException {
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(timeoutMillis);
        BodyReader reader = new BodyReader(async, request, response, version, request.getInputStream(), limit, timeoutMillis);
        async.addListener(reader);
        reader.in.setReadListener(reader);
    }

    @Override
    public synchronized void onDataAvailable() throws IOException {
        while (!over && in.isReady()) {
            int n = in.read(buffer);
            if (n < 0) {
                return;
            }
            if (body.size() + n > limit) {
                answer(Proxy1RequestFilter.tooLarge(limit));
                return;
            }
            body.write(buffer, 0, n);
        }
    }

    @Override
    public synchronized void onAllDataRead() {
        if (over) {
            return;
        }
        over = true;
        request.setAttribute(BODY, body.toByteArray());
        async.dispatch();
    }

    @Override
    public synchronized void onError(Throwable failure) {
        if (!over) {
            over = true;
            LOG.debugf("Proxy1: reading a request from %s failed: %s", request.getRemoteAddr(), failure);
            async.complete();
        }
    }

    /** The container calls this on a worker thread; the answer must be written and the request ended here. */
    @Override
    public synchronized void onTimeout(AsyncEvent event) {
        if (over) {
            return;
        }
        over = true;
        refuse(new InvalidEnvelopeException(408, "The request body did not arrive within " + timeoutMillis
                + " ms (surepost.proxy.request.timeout); send it again, all at once."));
    }

    /** Refuses the request from an I/O callback: on a worker thread, not the I/O thread. */
    private void answer(InvalidEnvelopeException refusal) {
        if (over) {
            return;
        }
        over = true;
        async.start(() -> refuse(refusal));
    }

    private void refuse(InvalidEnvelopeException refusal) {
        try {
            response.setHeader("Connection", "close"); // the rest of the body is not read
            Proxy1RequestFilter.reject(request, response, version, refusal);
        } catch (IOException | RuntimeException e) {
            LOG.debugf("Proxy1: could not answer %s: %s", request.getRemoteAddr(), e);
        } finally {
            async.complete();
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        // nothing to do
    }

    @Override
    public void onError(AsyncEvent event) {
        onError(event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // nothing to do
    }
}
