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
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Reads a request body with non-blocking I/O: Undertow calls it as bytes arrive, so no worker
 * thread waits for a client that sends slowly or stops. When the whole body is in, it puts it
 * in the request attribute {@link #BODY} and dispatches the request again (to a worker
 * thread). A body over the size limit (as soon as the limit is passed) or not fully arrived by
 * the deadline is dispatched again with the refusal in {@link #REFUSAL} instead: the filter
 * answers it with a 413 or 408 fault and the connection closes.
 */
final class BodyReader implements ReadListener, AsyncListener {

    /** Request attribute: the body, once it has fully arrived. */
    static final String BODY = BodyReader.class.getName() + ".body";
    /** Request attribute: why the request is refused before its body was read (408, 413). */
    static final String REFUSAL = BodyReader.class.getName() + ".refusal";

    private static final Logger LOG = Logger.getLogger("io.surepost.ws");

    private final AsyncContext async;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final SoapVersion version;
    private final ServletInputStream in;
    private final int limit;
    private final long timeoutMillis;
    /** Touched only by the I/O thread's read callbacks. */
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
    private final byte[] buffer = new byte[8192];
    /**
     * Set once, by whoever hands the request on or answers it (the read callbacks on the I/O
     * thread, the timeout on a worker): no lock is held while a response is written, so an
     * I/O thread never waits for a worker that waits for it.
     */
    private final AtomicBoolean over = new AtomicBoolean();

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
    public void onDataAvailable() throws IOException {
        while (!over.get() && in.isReady()) {
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
    public void onAllDataRead() {
        if (over.compareAndSet(false, true)) {
            request.setAttribute(BODY, body.toByteArray());
            async.dispatch();
        }
    }

    @Override
    public void onError(Throwable failure) {
        if (over.compareAndSet(false, true)) {
            LOG.debugf("Proxy1: reading a request from %s failed: %s", request.getRemoteAddr(), failure);
            async.complete();
        }
    }

    /**
     * Undertow runs this on the connection's I/O thread, where no response may be written
     * (a blocking write there can stall every connection of that thread): the request is
     * dispatched again, with the refusal, and answered on a worker thread.
     */
    @Override
    public void onTimeout(AsyncEvent event) {
        answer(new InvalidEnvelopeException(408, "The request body did not arrive within " + timeoutMillis
                + " ms (surepost.proxy.request.timeout); send it again, all at once."));
    }

    /** Ends the reading with a refusal, which the second pass of the filter answers on a worker thread. */
    private void answer(InvalidEnvelopeException refusal) {
        if (over.compareAndSet(false, true)) {
            request.setAttribute(REFUSAL, refusal);
            async.dispatch();
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
