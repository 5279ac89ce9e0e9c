package chatgate.sms.smpp;

import java.util.concurrent.locks.LockSupport;

/**
 * The contracted submit rate of a bind: {@code rate} permits per second, bursts up to one
 * second's worth. {@link #take()} blocks until a permit is free; {@link #pause} holds all
 * submits after the SMSC said it is throttling (Kannel waits one second too).
 */
final class TokenBucket {
  private final double perNano;
  private final double capacity;
  private double tokens;
  private long last;
  private long pausedUntil;

  TokenBucket(int ratePerSecond) {
    this.perNano = ratePerSecond / 1e9;
    this.capacity = Math.max(1, ratePerSecond);
    this.tokens = capacity;
    this.last = System.nanoTime();
  }

  void take() throws InterruptedException {
    while (true) {
      long wait;
      synchronized (this) {
        long now = System.nanoTime();
        if (now - pausedUntil < 0) {
          wait = pausedUntil - now;
        } else {
          tokens = Math.min(capacity, tokens + (now - last) * perNano);
          last = now;
          if (tokens >= 1) {
            tokens -= 1;
            return;
          }
          wait = (long) ((1 - tokens) / perNano);
        }
      }
      LockSupport.parkNanos(Math.max(wait, 50_000));
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  synchronized void pause(long nanos) {
    pausedUntil = System.nanoTime() + nanos;
    tokens = 0;
  }
}
