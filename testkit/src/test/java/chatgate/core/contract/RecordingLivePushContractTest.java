package chatgate.core.contract;

import chatgate.core.model.Msisdn;
import chatgate.core.model.SentReport;
import chatgate.core.port.LivePush;
import chatgate.core.port.LivePush.PushItem;
import chatgate.core.testing.RecordingLivePush;
import java.util.List;

/** The core tests' recording stand-in for the page streams keeps the {@link LivePush} contract. */
class RecordingLivePushContractTest implements LivePushContract {
  private final RecordingLivePush streams = new RecordingLivePush();

  @Override
  public LivePush push() {
    return streams;
  }

  @Override
  public Stream open(Msisdn owner) {
    streams.open(owner);
    return new Stream() {
      @Override
      public List<PushItem> items() {
        return streams.pushedTo(owner);
      }

      @Override
      public List<SentReport> states() {
        return streams.statesTo(owner);
      }

      @Override
      public void close() {
        streams.close(owner);
      }
    };
  }
}
