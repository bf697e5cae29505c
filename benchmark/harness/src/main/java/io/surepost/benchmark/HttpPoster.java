package io.surepost.benchmark;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import jdk.net.ExtendedSocketOptions;

/**
 * A load-generator HTTP/1.1 client: one kept-alive socket, one pre-built POST written per
 * call, the response read just far enough to know its status and where it ends. It costs
 * far less CPU per request than a general-purpose client, so the server, not the harness,
 * sets the pace.
 */
final class HttpPoster implements Load.Client {

    /** How the client treats its connection. */
    enum Mode {
        /** One kept-alive connection, as most clients use one. */
        KEPT_ALIVE,
        /** Kept alive, and asking the kernel for quick ACKs while the answer comes (TCP_QUICKACK, Linux). */
        KEPT_ALIVE_QUICK_ACK,
        /** A new connection for each request, as {@code curl} in a loop does. */
        NEW_CONNECTION
    }

    private final Mode mode;
    private final String host;
    private final int port;
    private final byte[] request;
    private final int expectedStatus;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    HttpPoster(URI url, String contentType, String soapAction, byte[] body, int expectedStatus) {
        this(url, contentType, soapAction, body, expectedStatus, Mode.KEPT_ALIVE);
    }

    HttpPoster(URI url, String contentType, String soapAction, byte[] body, int expectedStatus, Mode mode) {
        this.mode = mode;
        this.host = url.getHost();
        this.port = url.getPort();
        this.expectedStatus = expectedStatus;
        String head = "POST " + url.getRawPath() + " HTTP/1.1\r\n"
                + "Host: " + host + ":" + port + "\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + (soapAction == null ? "" : "SOAPAction: \"" + soapAction + "\"\r\n")
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        this.request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
    }

    @Override
    public void call() throws IOException {
        if (socket == null) {
            connect();
        }
        int status;
        try {
            out.write(request);
            out.flush();
            if (mode == Mode.KEPT_ALIVE_QUICK_ACK) {
                socket.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
            }
            status = readResponse();
        } catch (IOException e) {
            close();
            throw e;
        }
        if (mode == Mode.NEW_CONNECTION) {
            close();
        }
        if (status != expectedStatus) {
            throw new IOException("HTTP " + status + " (expected " + expectedStatus + ")");
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setSoTimeout(60_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    /** Reads one response; returns its status. Closes the connection when the server asks to. */
    private int readResponse() throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String header; !(header = line()).isEmpty(); ) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        if (chunked) {
            for (long size; (size = Long.parseLong(line().split(";")[0].trim(), 16)) > 0; ) {
                skip(size);
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
        } else if (length > 0) {
            skip(length);
        }
        if (close) {
            close();
        }
        return status;
    }

    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        for (int b; (b = in.read()) != '\n'; ) {
            if (b == -1) {
                throw new EOFException("the server closed the connection");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() == -1) {
                    throw new EOFException("the server closed the connection mid-body");
                }
                skipped = 1;
            }
            n -= skipped;
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do about a socket that will not close
            }
            socket = null;
        }
    }
}
