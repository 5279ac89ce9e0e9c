package chatgate.xmpp.peer;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * A real XMPP server started by a test (Prosody or ejabberd, Debian's packages): loopback only, a
 * free port, its own data in a temp dir, the one virtual host {@value #DOMAIN}.
 */
public interface XmppServer extends AutoCloseable {
  String DOMAIN = "localhost";

  /** The servers the XMPP tests run against (the P1 flow must work on each). */
  enum Kind {
    PROSODY, EJABBERD;

    public XmppServer start() throws IOException, InterruptedException {
      return this == PROSODY ? ProsodyServer.start() : EjabberdServer.start();
    }
  }

  Kind kind();

  default String host() {
    return "127.0.0.1";
  }

  int port();

  /** Creates (or resets) an account. */
  void addUser(String local, String password) throws IOException, InterruptedException;

  /** Stops the server (clients see their streams end) and starts it again on the same port and data. */
  void restart(Duration down) throws IOException, InterruptedException;

  /** Pauses the server (SIGSTOP): its sockets stay open, nothing is read or answered until {@link #resume}. */
  void pause() throws IOException, InterruptedException;

  void resume() throws IOException, InterruptedException;

  /**
   * The server's administrator ends the sessions of {@code local} (with {@code resource}, when the
   * server needs one), the way the server's own admin tool does it.
   */
  void kick(String local, String resource) throws IOException, InterruptedException;

  /** How many times {@code local} has authenticated (logged in) so far, from the server's log. */
  long logins(String local) throws IOException;

  /** The server's own log, for a failing test's message. */
  List<String> log() throws IOException;
}
