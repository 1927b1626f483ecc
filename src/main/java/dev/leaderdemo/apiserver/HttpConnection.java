package dev.leaderdemo.apiserver;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 connection to the API server, over TLS unless the server's URL says http: a request
 * written, its response's status, headers and body read, and the connection kept for the next
 * request when the server allows it.
 *
 * <p>Why not the JDK's HttpClient (which fabric8 uses here): its HTTP/2 machinery and the
 * asynchronous stages around each request are some 600 classes and several threads, and a demo pod
 * sends one small request every two seconds. A blocking connection on the caller's thread does that
 * with none of them.
 */
final class HttpConnection implements Closeable {

  /** A response whose body is read from the connection as it comes. */
  record Response(int code, Map<String, String> headers, InputStream body, boolean keepAlive) {}

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final String authority;

  private HttpConnection(Socket socket, String authority) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
    this.authority = authority;
  }

  /**
   * @param tls null for a server on plain http
   * @param verifyHostname whether the server's certificate must name the host
   */
  static HttpConnection open(
      URI server, SSLSocketFactory tls, boolean verifyHostname, Duration connectTimeout)
      throws IOException {
    boolean https = tls != null;
    int port = server.getPort() != -1 ? server.getPort() : https ? 443 : 80;
    String host = server.getHost();
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    Socket socket = https ? tls.createSocket() : new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setKeepAlive(true);
      socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
      if (socket instanceof SSLSocket ssl) {
        if (verifyHostname) {
          SSLParameters parameters = ssl.getSSLParameters();
          parameters.setEndpointIdentificationAlgorithm("HTTPS");
          ssl.setSSLParameters(parameters);
        }
        ssl.setSoTimeout((int) connectTimeout.toMillis());
        ssl.startHandshake();
      }
      return new HttpConnection(socket, server.getRawAuthority());
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Writes one request and reads its response's head; the body must be read (or the connection
   * closed) before the next request.
   *
   * @param readTimeout the longest wait for any read of the response
   * @throws EOFException when the server closed the connection before answering
   */
  Response exchange(
      String method,
      String path,
      List<Map.Entry<String, String>> headers,
      byte[] body,
      Duration readTimeout)
      throws IOException {
    socket.setSoTimeout((int) readTimeout.toMillis());
    StringBuilder head = new StringBuilder(256);
    head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(authority).append("\r\n");
    for (Map.Entry<String, String> header : headers) {
      head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.write(body);
    }
    out.flush();

    String status = readLine(in);
    if (status == null) {
      throw new EOFException("the connection was closed before an answer");
    }
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.1 answer: " + status);
    }
    int code = Integer.parseInt(parts[1]);
    Map<String, String> received = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        received.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
      }
    }
    boolean keepAlive =
        !"close".equalsIgnoreCase(received.getOrDefault("Connection", ""))
            && parts[0].equals("HTTP/1.1");
    InputStream content;
    if ("chunked".equalsIgnoreCase(received.getOrDefault("Transfer-Encoding", ""))) {
      content = new Chunked(in);
    } else if (received.containsKey("Content-Length")) {
      content = new Bounded(in, Long.parseLong(received.get("Content-Length")));
    } else if (code == 204 || code == 304 || method.equals("HEAD")) {
      content = new Bounded(in, 0);
    } else {
      content = in; // to the end of the connection
      keepAlive = false;
    }
    return new Response(code, received, content, keepAlive);
  }

  /**
   * Closes at once. A TLS socket's close sends close_notify and then reads for the server's, for as
   * long as the read timeout allows: on a hung server that doubled every failed request's time.
   */
  @Override
  public void close() throws IOException {
    try {
      socket.setSoTimeout(1);
    } catch (IOException e) {
      // already closed or broken: close() below is all there is to do
    }
    socket.close();
  }

  /**
   * One CRLF-terminated line of a response's head or chunk sizes, or null at the end of the stream.
   */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        int n = line.size();
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return n > 0 && text.charAt(n - 1) == '\r' ? text.substring(0, n - 1) : text;
      }
      line.write(b);
      if (line.size() > 16 * 1024) {
        throw new IOException("a line of the answer's head is longer than 16 KiB");
      }
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  /** A body of a known length; closing it leaves the connection open for the next request. */
  private static final class Bounded extends FilterInputStream {
    private long left;

    Bounded(InputStream in, long length) {
      super(in);
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b == -1) {
        throw new EOFException("the answer ended " + left + " bytes early");
      }
      left--;
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(buffer, offset, (int) Math.min(length, left));
      if (n == -1) {
        throw new EOFException("the answer ended " + left + " bytes early");
      }
      left -= n;
      return n;
    }

    @Override
    public void close() {}
  }

  /** A body in chunked transfer coding, as a watch's events come. */
  private static final class Chunked extends FilterInputStream {
    private long left;
    private boolean done;

    Chunked(InputStream in) {
      super(in);
    }

    private boolean next() throws IOException {
      if (done) {
        return false;
      }
      if (left == 0) {
        String size = readLine(in);
        if (size == null) {
          throw new EOFException("the answer ended inside a chunk");
        }
        int extension = size.indexOf(';');
        left = Long.parseLong((extension >= 0 ? size.substring(0, extension) : size).strip(), 16);
        if (left == 0) {
          for (String trailer = readLine(in);
              trailer != null && !trailer.isEmpty();
              trailer = readLine(in)) {
            // trailers carry nothing the API server's clients need
          }
          done = true;
          return false;
        }
      }
      return true;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (!next()) {
        return -1;
      }
      int n = in.read(buffer, offset, (int) Math.min(length, left));
      if (n == -1) {
        throw new EOFException("the answer ended inside a chunk");
      }
      left -= n;
      if (left == 0 && readLine(in) == null) {
        throw new EOFException("the answer ended after a chunk");
      }
      return n;
    }

    @Override
    public int available() {
      return 0;
    }

    @Override
    public void close() {}
  }
}
