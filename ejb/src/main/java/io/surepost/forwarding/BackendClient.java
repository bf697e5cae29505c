package io.surepost.forwarding;

import io.surepost.message.SoapMessage;
import io.surepost.message.SoapMessage.Headers;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Sends an accepted message to the backend over HTTP, exactly as it was accepted: same
 * envelope bytes, same content type, plus the SOAPAction and the Surepost message id.
 * One HTTP client (and its connection pool) serves every delivery.
 */
public class BackendClient {

    private final HttpClient http;
    private final Duration readTimeout;

    public BackendClient(Duration connectTimeout, Duration readTimeout) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.readTimeout = readTimeout;
    }

    /** One delivery attempt; never throws for a backend problem, it reports it. */
    public DeliveryResult deliver(SoapMessage message, URI endpoint, String soapAction) {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(readTimeout)
                .header("Content-Type", message.contentType())
                .header("SOAPAction", "\"" + soapAction + "\"")
                .header(Headers.HTTP_MESSAGE_ID, message.id())
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.envelope()))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return DeliveryResult.ofResponse(response.statusCode(), response.body());
        } catch (HttpTimeoutException e) {
            return DeliveryResult.unreachable("backend did not answer within " + readTimeout.toMillis() + " ms");
        } catch (ConnectException e) {
            return DeliveryResult.unreachable("backend refused the connection at " + endpoint);
        } catch (IOException e) {
            return DeliveryResult.unreachable("backend connection failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryResult.unreachable("delivery interrupted");
        }
    }
}
