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

  private final Deque<CompletableFuture<SubmitOutcome>> held = new ArrayDeque<>();
  private int holdNext;
  private volatile int segmentLength = Integer.MAX_VALUE;

  /** The next {@code n} submits get no answer until the test gives one ({@link #held}): an SMSC that is slow, or a crash mid-submit. */
  public synchronized void holdNext(int n) {
    holdNext += n;
  }

  /** Answers of the submits held so far, oldest first. */
  public synchronized List<CompletableFuture<SubmitOutcome>> held() {
    return List.copyOf(held);
  }

  /** Texts are cut into segments of this many characters (as an SMPP link cuts them at 153 or 67). */
  public void segmentLength(int chars) {
    segmentLength = chars;
  }

  @Override
  public List<String> segmentTexts(OutboundSms sms) {
    List<String> out = new ArrayList<>();
    String t = sms.text();
    for (int i = 0; i < t.length(); i += segmentLength) {
      out.add(t.substring(i, i + Math.min(segmentLength, t.length() - i)));
    }
    return out.isEmpty() ? List.of("") : out;
  }

  @Override
  public CompletionStage<SubmitOutcome> submit(OutboundSms sms) {
    try {
      sms.gate().opening();
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(new SubmitOutcome.Retry("not sent: " + e.getMessage(), java.time.Duration.ofSeconds(1)));
    }
    sent.add(sms);
    SubmitOutcome o;
    synchronized (this) {
      if (holdNext > 0) {
        holdNext--;
        CompletableFuture<SubmitOutcome> answer = new CompletableFuture<>();
        held.add(answer);
        return answer;
      }
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
