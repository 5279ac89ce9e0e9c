package chatgate.xmpp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.SocketFactory;

/**
 * The plain sockets of one connection as Smack opens them (first connect and each reconnect), so
 * that a stopping gateway can close the latest at once: Smack's own disconnect waits for the
 * server's closing tag, and its instant shutdown can wait behind that disconnect (issue 20).
 */
final class SocketRecorder extends SocketFactory {
  private final SocketFactory plain = SocketFactory.getDefault();
  private final AtomicReference<Socket> latest = new AtomicReference<>();

  private Socket record(Socket s) {
    latest.set(s);
    return s;
  }

  /** Closes the connection's socket now; the reader thread sees the close and ends. */
  void closeNow() {
    Socket s = latest.get();
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // closing: nothing more to do
      }
    }
  }

  @Override
  public Socket createSocket() throws IOException {
    return record(plain.createSocket());
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return record(plain.createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return record(plain.createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return record(plain.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return record(plain.createSocket(address, port, localAddress, localPort));
  }
}
