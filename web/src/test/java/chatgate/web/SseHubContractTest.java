package chatgate.web;

import chatgate.core.contract.LivePushContract;
import chatgate.core.model.Msisdn;
import chatgate.core.model.SentReport;
import chatgate.core.port.LivePush;
import chatgate.core.port.LivePush.PushItem;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** This node's event streams keep the {@link LivePush} contract. */
class SseHubContractTest implements LivePushContract {
  private final SseHub hub = new SseHub();

  @Override
  public LivePush push() {
    return hub;
  }

  @Override
  public Stream open(Msisdn owner) {
    return new HubStream(hub, hub.open(owner));
  }

  /** Reads a hub stream as its request thread would, keeping what it read. */
  static final class HubStream implements Stream {
    private final SseHub hub;
    private final SseHub.Stream stream;
    private final List<Object> read = new CopyOnWriteArrayList<>();

    HubStream(SseHub hub, SseHub.Stream stream) {
      this.hub = hub;
      this.stream = stream;
    }

    private synchronized void drain() {
      try {
        for (Object o = stream.next(0, TimeUnit.MILLISECONDS); o != null; o = stream.next(0, TimeUnit.MILLISECONDS)) {
          read.add(o);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public List<PushItem> items() {
      drain();
      return read.stream().filter(PushItem.class::isInstance).map(PushItem.class::cast).toList();
    }

    @Override
    public List<SentReport> states() {
      drain();
      return read.stream().filter(SentReport.class::isInstance).map(SentReport.class::cast).toList();
    }

    @Override
    public void close() {
      hub.close(stream);
    }
  }
}
