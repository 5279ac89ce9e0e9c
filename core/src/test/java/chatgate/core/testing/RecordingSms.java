package chatgate.core.testing;

import chatgate.core.model.Msisdn;
import chatgate.core.port.SmsPort;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An SMS port that records what is submitted and answers with scripted outcomes (default: accepted). */
public final class RecordingSms implements SmsPort {
  private final List<OutboundSms> sent = new CopyOnWriteArrayList<>();
  private final Deque<SubmitOutcome> script = new ArrayDeque<>();
  private final AtomicInteger ids = new AtomicInteger();

  public synchronized void answerNext(SubmitOutcome... outcomes) {
    script.addAll(List.of(outcomes));
  }

  @Override
  public CompletionStage<SubmitOutcome> submit(OutboundSms sms) {
    sent.add(sms);
    SubmitOutcome o;
    synchronized (this) {
      o = script.pollFirst();
    }
    if (o == null) {
      o = new SubmitOutcome.Accepted(List.of("m" + ids.incrementAndGet()));
    }
    return CompletableFuture.completedFuture(o);
  }

  public List<OutboundSms> sent() {
    return List.copyOf(sent);
  }

  public List<OutboundSms> sentTo(Msisdn m) {
    List<OutboundSms> out = new ArrayList<>();
    for (OutboundSms s : sent) {
      if (s.to().equals(m)) {
        out.add(s);
      }
    }
    return out;
  }
}
