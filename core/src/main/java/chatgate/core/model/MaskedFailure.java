package chatgate.core.model;

/**
 * An exception as the log may show it: its class and message (as this one's message), stack
 * trace, causes and suppressed exceptions, with every number masked ({@link Msisdn#maskAll}). An
 * unexpected failure is logged with its stack trace (issue 19), yet an exception's message often
 * quotes a phone number (a constraint violation, a NATS subject), and logs never hold one whole.
 */
public final class MaskedFailure extends RuntimeException {
  private static final int MAX_DEPTH = 16;
  private final String original;

  private MaskedFailure(Throwable t, int depth) {
    super(Msisdn.maskAll(t.toString()), t.getCause() == null || t.getCause() == t || depth >= MAX_DEPTH
        ? null : new MaskedFailure(t.getCause(), depth + 1), true, true);
    this.original = t.getClass().getName();
    setStackTrace(t.getStackTrace());
    if (depth < MAX_DEPTH) {
      for (Throwable s : t.getSuppressed()) {
        addSuppressed(new MaskedFailure(s, depth + 1));
      }
    }
  }

  /** The failure to pass to a logger as its last argument. */
  public static MaskedFailure of(Throwable t) {
    return t instanceof MaskedFailure m ? m : new MaskedFailure(t, 0);
  }

  /** The class of the exception this stands for. */
  public String originalClass() {
    return original;
  }

  /** The original's class and message, masked: what a log line, text or JSON, shows of it. */
  @Override
  public String toString() {
    return getMessage();
  }
}
