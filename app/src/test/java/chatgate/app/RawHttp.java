package chatgate.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP/1.1 over a plain socket, for what {@link java.net.http.HttpClient} will not do: announce a
 * body and never send it, or stream a chunked body while the answer is read.
 */
final class RawHttp implements AutoCloseable {
  /** A status line (and the start of the body) read from the server. */
  record Answer(int status, String text) {}

  /** What a streamed request got: the answer, and how many body bytes the client managed to send in all. */
  record Streamed(Answer answer, long sent) {}

  private final Socket socket;

  RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(15_000);
  }

  /** Sends the request line and headers (CRLF endings added) and no body. */
  RawHttp head(String requestLine, String... headers) throws IOException {
    StringBuilder b = new StringBuilder(requestLine).append("\r\n").append("Host: 127.0.0.1\r\n");
    for (String h : headers) {
      b.append(h).append("\r\n");
    }
    b.append("\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  /** The answer's status and the first bytes after it, or a failure if none came within {@code wait}. */
  Answer answer(Duration wait) throws IOException {
    socket.setSoTimeout((int) wait.toMillis());
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    long until = System.nanoTime() + wait.toNanos();
    try {
      while (System.nanoTime() - until < 0 && got.size() < 8192) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        got.write(buf, 0, n);
        String s = got.toString(StandardCharsets.ISO_8859_1);
        int end = s.indexOf("\r\n\r\n");
        if (end >= 0 && s.length() > end + 4) {
          break; // the head and the start of the body: enough to judge
        }
        if (end >= 0 && s.contains("Content-Length: 0")) {
          break;
        }
      }
    } catch (SocketTimeoutException e) {
      if (got.size() == 0) {
        throw new AssertionError("no answer within " + wait + ": the server is waiting for the body", e);
      }
    } catch (IOException e) {
      if (got.size() == 0) {
        throw e;
      }
    }
    String s = got.toString(StandardCharsets.UTF_8);
    if (!s.startsWith("HTTP/1.1 ")) {
      throw new AssertionError("not an HTTP answer: " + s);
    }
    return new Answer(Integer.parseInt(s.substring(9, 12)), s);
  }

  /**
   * Sends the head (which should say {@code Transfer-Encoding: chunked}) and then up to
   * {@code total} bytes in 64 KiB chunks from another thread, until the server answers and stops
   * reading; returns the answer and how much the client had sent when its writes stopped.
   */
  static Streamed streamChunked(int port, long total, String requestLine, String... headers) throws Exception {
    try (RawHttp c = new RawHttp(port)) {
      c.head(requestLine, headers);
      AtomicLong sent = new AtomicLong();
      byte[] chunk = new byte[64 * 1024];
      Arrays.fill(chunk, (byte) 'a');
      byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
      byte[] crlf = "\r\n".getBytes(StandardCharsets.ISO_8859_1);
      Thread writer = Thread.ofPlatform().name("raw-http-writer").start(() -> {
        try {
          OutputStream out = c.socket.getOutputStream();
          while (sent.get() < total) {
            out.write(size);
            out.write(chunk);
            out.write(crlf);
            sent.addAndGet(chunk.length);
          }
          out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        } catch (IOException e) {
          // the server stopped reading and closed: what a bounded server does
        }
      });
      Answer a = c.answer(Duration.ofSeconds(60));
      c.socket.shutdownInput();
      writer.join(TimeUnit.SECONDS.toMillis(60));
      if (writer.isAlive()) {
        c.socket.close(); // the server still reads: stop the writer
        writer.join(10_000);
      }
      return new Streamed(a, sent.get());
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
