package chatgate.core.model;

/** A message's id: time-ordered and unique across nodes (see {@link chatgate.core.port.IdGenerator}). */
public record MessageId(long value) implements Comparable<MessageId> {
  @Override
  public int compareTo(MessageId o) {
    return Long.compare(value, o.value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
