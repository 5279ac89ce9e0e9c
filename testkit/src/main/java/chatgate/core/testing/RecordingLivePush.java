package chatgate.core.testing;

import chatgate.core.model.Msisdn;
import chatgate.core.port.LivePush;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Open streams are whoever the test says; records what was pushed to them. */
public final class RecordingLivePush implements LivePush {
  public record Pushed(Msisdn to, PushItem item) {}

  private final Set<Msisdn> open = ConcurrentHashMap.newKeySet();
  private final List<Pushed> pushed = new CopyOnWriteArrayList<>();

  public void open(Msisdn m) {
    open.add(m);
  }

  public void close(Msisdn m) {
    open.remove(m);
  }

  @Override
  public boolean push(Msisdn recipient, PushItem item) {
    if (!open.contains(recipient)) {
      return false;
    }
    pushed.add(new Pushed(recipient, item));
    return true;
  }

  private final List<State> states = new CopyOnWriteArrayList<>();

  /** A message's state told to its sender's open pages (issue 16). */
  public record State(Msisdn to, chatgate.core.model.SentReport report) {}

  @Override
  public void pushState(Msisdn sender, chatgate.core.model.SentReport report) {
    if (open.contains(sender)) {
      states.add(new State(sender, report));
    }
  }

  /** The states told to this sender's open pages, in order. */
  public List<chatgate.core.model.SentReport> statesTo(Msisdn m) {
    return states.stream().filter(s -> s.to().equals(m)).map(State::report).toList();
  }

  public List<PushItem> pushedTo(Msisdn m) {
    List<PushItem> out = new ArrayList<>();
    for (Pushed p : pushed) {
      if (p.to().equals(m)) {
        out.add(p.item());
      }
    }
    return out;
  }
}
