package io.surepost.forwarding;

import io.surepost.message.Failures;
import io.surepost.message.SoapMessage;
import io.surepost.message.SoapMessage.Headers;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends an accepted message to the backend over HTTP, exactly as it was accepted: same
 * envelope bytes, same content type, plus the SOAPAction and the Surepost message id.
 * One HTTP client (and its connection pool) serves every delivery of the server.
 * <p>
 * Every exchange has one deadline for all of it: connecting, the response headers and the
 * body. A backend that sends its headers and then stalls is cut off at the deadline like one
 * that never answers. At most {@code maxResponseBytes} of a response are read (enough to
 * tell a SOAP fault); the rest is not. Whatever goes wrong comes back as a failed
 * {@link DeliveryResult}, never as an exception, so the forwarding policy decides about it.
 */
@ApplicationScoped
public class BackendClient {

    private final HttpClient http;
    private final int maxResponseBytes;

    /** The server's one client: reads at most {@link ForwardingSettings#MAX_RESPONSE_BYTES} of a response. */
    public BackendClient() {
        this(ForwardingSettings.MAX_RESPONSE_BYTES);
    }

    public BackendClient(int maxResponseBytes) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.maxResponseBytes = maxResponseBytes;
    }

    /** One delivery attempt, finished (or given up) within {@code deadline}. */
    public DeliveryResult deliver(SoapMessage message, URI endpoint, String soapAction, Duration deadline) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(endpoint)
                    .timeout(deadline)
                    .header("Content-Type", message.contentType())
                    .header("SOAPAction", "\"" + soapAction + "\"")
                    .header(Headers.HTTP_MESSAGE_ID, message.id())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(message.envelope()))
                    .build();
        } catch (RuntimeException e) {
            return DeliveryResult.unreachable("the request to the backend cannot be built: " + Failures.rootText(e));
        }
        CompletableFuture<HttpResponse<byte[]>> exchange;
        try {
            exchange = http.sendAsync(request, info -> new CappedBody(maxResponseBytes));
        } catch (RuntimeException e) {
            return DeliveryResult.unreachable("the request to the backend cannot be sent: " + Failures.rootText(e));
        }
        try {
            HttpResponse<byte[]> response = exchange.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            return DeliveryResult.ofResponse(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        } catch (TimeoutException e) {
            exchange.cancel(true); // closes the connection: the exchange is over for both sides
            return DeliveryResult.unreachable("backend did not finish its answer within " + deadline.toMillis() + " ms (http.timeout)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                return DeliveryResult.unreachable("backend did not answer within " + deadline.toMillis() + " ms (http.timeout)");
            }
            if (cause instanceof ConnectException) {
                return DeliveryResult.unreachable("backend refused the connection at " + endpoint);
            }
            return DeliveryResult.unreachable("backend connection failed: " + Failures.rootMessage(cause));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return DeliveryResult.unreachable("delivery interrupted");
        }
    }

    /** Keeps the first {@code max} bytes of a response body and stops reading there. */
    static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int max;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        CappedBody(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                int take = Math.min(buffer.remaining(), max - bytes.size());
                byte[] chunk = new byte[take];
                buffer.get(chunk);
                bytes.write(chunk, 0, take);
                if (buffer.hasRemaining()) {
                    subscription.cancel(); // the rest is not read
                    body.complete(bytes.toByteArray());
                    return;
                }
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }
}
