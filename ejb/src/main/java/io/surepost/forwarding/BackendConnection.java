package io.surepost.forwarding;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Locale;

/**
 * One kept-alive HTTP/1.1 connection to a plain-http backend, serving one exchange at a time:
 * the request goes out in one write, the response is read to its end (by Content-Length,
 * chunked, or the connection's end) within one deadline for all of it. The channel is
 * non-blocking underneath, so every wait — connecting, writing, reading — ends at that
 * deadline.
 * <p>
 * Before it waits for an answer the connection asks the kernel to acknowledge what arrives at
 * once (TCP_QUICKACK, where the platform has it). A backend that writes its response headers
 * and its body in two packets with Nagle's algorithm on (Python's {@code http.server}, many
 * small servers) otherwise holds the body until the client's delayed ACK: about 40 ms per
 * message on a kept-alive connection.
 */
final class BackendConnection implements Closeable {

    /** The deadline passed; {@code answering} when part of the response had arrived. */
    static final class DeadlineException extends IOException {
        private final boolean answering;

        DeadlineException(boolean answering) {
            super(answering ? "the answer did not end in time" : "no answer in time");
            this.answering = answering;
        }

        boolean answering() {
            return answering;
        }
    }

    /** A response: its status and at most the first {@code maxBody} bytes of its body. */
    record Response(int status, byte[] body) {
    }

    private static final int MAX_LINE = 8 * 1024;
    private static final int MAX_HEAD = 64 * 1024;

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final SocketOption<Boolean> quickAck;
    private final ByteBuffer in = ByteBuffer.allocate(16 * 1024).flip();
    private boolean answering;
    private boolean reusable;
    private long idleSince;

    private BackendConnection(SocketChannel channel, Selector selector, SelectionKey key) {
        this.channel = channel;
        this.selector = selector;
        this.key = key;
        this.quickAck = quickAckOption(channel);
    }

    /** Connects within the deadline ({@link System#nanoTime} based). */
    static BackendConnection open(InetSocketAddress address, long deadline) throws IOException {
        SocketChannel channel = SocketChannel.open();
        Selector selector = null;
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            selector = Selector.open();
            SelectionKey key = channel.register(selector, 0);
            BackendConnection connection = new BackendConnection(channel, selector, key);
            if (!channel.connect(address)) {
                while (!channel.finishConnect()) {
                    connection.await(SelectionKey.OP_CONNECT, deadline);
                }
            }
            return connection;
        } catch (IOException | RuntimeException | Error e) {
            channel.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
    }

    /**
     * Sends {@code request} (a whole HTTP/1.1 request) and reads the answer, keeping at most
     * {@code maxBody} bytes of its body; a body longer than that is not read further and the
     * connection is then not reused.
     */
    Response exchange(ByteBuffer request, int maxBody, long deadline) throws IOException {
        reusable = false;
        answering = false;
        while (request.hasRemaining()) {
            if (channel.write(request) == 0) {
                await(SelectionKey.OP_WRITE, deadline);
            }
        }
        String statusLine;
        Head head;
        do { // 1xx answers (100 Continue, 103 Early Hints) come before the real one
            statusLine = readLine(deadline);
            head = readHead(statusLine, deadline);
        } while (head.status >= 100 && head.status < 200);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean whole;
        if (head.status == 204 || head.status == 304) {
            whole = true;
        } else if (head.chunked) {
            whole = readChunked(body, maxBody, deadline);
        } else if (head.contentLength >= 0) {
            whole = readBody(body, head.contentLength, maxBody, deadline);
        } else {
            readToEnd(body, maxBody, deadline);
            whole = false; // the connection's end was the body's end: nothing left to reuse
        }
        reusable = whole && head.keepAlive && !in.hasRemaining();
        return new Response(head.status, body.toByteArray());
    }

    /** Whether the last exchange left the connection fit for the next one. */
    boolean reusable() {
        return reusable;
    }

    /** Marks the connection idle, back in its pool, at {@code now} ({@link System#nanoTime}). */
    void idleSince(long now) {
        idleSince = now;
    }

    long idleSince() {
        return idleSince;
    }

    /**
     * Whether an idle connection can carry another request: the backend has neither closed it
     * nor sent anything unasked (either makes it useless). Does not wait.
     */
    boolean stillOpen() {
        try {
            in.clear();
            int n = channel.read(in);
            in.flip();
            return n == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a socket that failed: nothing left to do with it
        }
        try {
            selector.close();
        } catch (IOException e) {
            // as above
        }
    }

    private record Head(int status, boolean keepAlive, boolean chunked, long contentLength) {
    }

    private Head readHead(String statusLine, long deadline) throws IOException {
        // HTTP/1.1 200 OK
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
            throw new IOException("the backend's answer is not HTTP/1.x: " + printable(statusLine));
        }
        boolean http11 = statusLine.charAt(7) != '0';
        int status;
        try {
            status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("the backend's status line has no status code: " + printable(statusLine));
        }
        boolean keepAlive = http11;
        boolean chunked = false;
        long contentLength = -1;
        int size = statusLine.length();
        for (String line = readLine(deadline); !line.isEmpty(); line = readLine(deadline)) {
            size += line.length();
            if (size > MAX_HEAD) {
                throw new IOException("the backend's response headers exceed " + MAX_HEAD + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> {
                    try {
                        contentLength = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("the backend's Content-Length is not a number: " + printable(value));
                    }
                }
                case "transfer-encoding" -> chunked = value.endsWith("chunked");
                case "connection" -> {
                    if (value.contains("close")) {
                        keepAlive = false;
                    } else if (value.contains("keep-alive")) {
                        keepAlive = true;
                    }
                }
                default -> {
                }
            }
        }
        return new Head(status, keepAlive, chunked, contentLength);
    }

    private boolean readChunked(ByteArrayOutputStream body, int maxBody, long deadline) throws IOException {
        while (true) {
            String sizeLine = readLine(deadline);
            int semicolon = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("the backend's chunked answer has a bad chunk size: " + printable(sizeLine));
            }
            if (size == 0) {
                while (!readLine(deadline).isEmpty()) {
                    // trailers: not needed
                }
                return true;
            }
            if (!readBody(body, size, maxBody, deadline)) {
                return false;
            }
            readLine(deadline); // the chunk's CRLF
        }
    }

    /** Reads {@code length} bytes; false when they would pass {@code maxBody} (the rest is not read). */
    private boolean readBody(ByteArrayOutputStream body, long length, int maxBody, long deadline) throws IOException {
        long left = length;
        while (left > 0) {
            if (body.size() >= maxBody) {
                return false;
            }
            if (!in.hasRemaining()) {
                fill(deadline);
            }
            int take = (int) Math.min(Math.min(left, in.remaining()), maxBody - body.size());
            body.write(in.array(), in.arrayOffset() + in.position(), take);
            in.position(in.position() + take);
            left -= take;
        }
        return true;
    }

    private void readToEnd(ByteArrayOutputStream body, int maxBody, long deadline) throws IOException {
        try {
            while (body.size() < maxBody) {
                if (!in.hasRemaining()) {
                    fill(deadline);
                }
                int take = Math.min(in.remaining(), maxBody - body.size());
                body.write(in.array(), in.arrayOffset() + in.position(), take);
                in.position(in.position() + take);
            }
        } catch (EOFException end) {
            // the body's end
        }
    }

    private String readLine(long deadline) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (!in.hasRemaining()) {
                fill(deadline);
            }
            char c = (char) (in.get() & 0xff);
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("the backend's answer has a line longer than " + MAX_LINE + " bytes");
            }
            line.append(c);
        }
    }

    private void fill(long deadline) throws IOException {
        in.clear();
        try {
            while (true) {
                int n = channel.read(in);
                if (n > 0) {
                    answering = true;
                    return;
                }
                if (n < 0) {
                    throw new EOFException(answering ? "the backend closed the connection before the end of its answer"
                            : "the backend closed the connection without answering");
                }
                acknowledgeAtOnce();
                await(SelectionKey.OP_READ, deadline);
            }
        } finally {
            in.flip();
        }
    }

    private void await(int operation, long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new DeadlineException(answering);
        }
        key.interestOps(operation);
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted");
        }
    }

    private void acknowledgeAtOnce() {
        if (quickAck != null) {
            try {
                channel.setOption(quickAck, true); // not sticky: the kernel leaves quick-ACK mode by itself
            } catch (IOException | UnsupportedOperationException e) {
                // only a delay then, as without the option
            }
        }
    }

    /** TCP_QUICKACK as the channel offers it (jdk.net's extended options, found by name: a deployment need not see jdk.net). */
    @SuppressWarnings("unchecked")
    private static SocketOption<Boolean> quickAckOption(SocketChannel channel) {
        for (SocketOption<?> option : channel.supportedOptions()) {
            if (option.name().equals("TCP_QUICKACK") && option.type() == Boolean.class) {
                return (SocketOption<Boolean>) option;
            }
        }
        return null;
    }

    private static String printable(String text) {
        String cut = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
