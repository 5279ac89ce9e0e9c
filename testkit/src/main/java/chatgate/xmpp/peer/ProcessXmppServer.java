package chatgate.xmpp.peer;

import chatgate.testkit.ExternalProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What Prosody and ejabberd share as test servers: a process on a port, its data and log in a temp dir. */
public abstract class ProcessXmppServer implements XmppServer {
  protected final Path dir;
  protected final int port;
  protected final ExternalProcess process;
  private final Duration startTimeout;
  private final Path log;

  ProcessXmppServer(Path dir, int port, ExternalProcess process, Duration startTimeout, Path log) {
    this.dir = dir;
    this.port = port;
    this.process = process;
    this.startTimeout = startTimeout;
    this.log = log;
  }

  /** Starts the process and waits until it accepts connections on its port. */
  void run() throws IOException, InterruptedException {
    process.start(port, startTimeout);
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public void restart(Duration down) throws IOException, InterruptedException {
    process.stop();
    Thread.sleep(down.toMillis());
    run();
  }

  @Override
  public void pause() throws IOException, InterruptedException {
    process.signal(true);
  }

  @Override
  public void resume() throws IOException, InterruptedException {
    process.signal(false);
  }

  @Override
  public void close() throws Exception {
    process.stop();
    ExternalProcess.deleteTree(dir);
  }

  @Override
  public List<String> log() throws IOException {
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }
}
