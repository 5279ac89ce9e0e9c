package chatgate.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A TCP proxy between the gateway and its XMPP server that can fail the way networks do while a
 * connection still looks open (ADR 0030's tests): {@link #holdReplies} drops what the server sends
 * (its acknowledgements never arrive, though it took the message); {@link #loseSends} drops what
 * the gateway sends (on the wire, never at the server). What the gateway wrote is kept, so a test
 * knows when a text is on the wire.
 */
final class CutProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int upstream;
  volatile boolean holdReplies;
  volatile boolean loseSends;
  private final StringBuffer written = new StringBuffer();

  CutProxy(int upstream) throws IOException {
    this.upstream = upstream;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("cut-proxy").start(this::accept);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Everything the gateway wrote so far, as text. */
  String written() {
    return written.toString();
  }

  /** New connections pass everything again. */
  void heal() {
    holdReplies = false;
    loseSends = false;
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), upstream);
        Thread.ofVirtual().start(() -> pump(client, server, true));
        Thread.ofVirtual().start(() -> pump(server, client, false));
      } catch (IOException e) {
        // closed, or the server is down: the gateway's connect fails as it would
      }
    }
  }

  private void pump(Socket from, Socket to, boolean fromGateway) {
    byte[] buf = new byte[8192];
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (fromGateway) {
          written.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        if (fromGateway ? loseSends : holdReplies) {
          continue;
        }
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away: both go
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
