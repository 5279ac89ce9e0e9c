package chatgate.core.model;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A group's id, as users type it as a chat target (P2.10): a letter followed by letters,
 * digits, '-' or '_', at most 32 characters, case-insensitive. Starting with a letter keeps
 * group ids apart from phone numbers.
 */
public record GroupId(String value) implements Target, Comparable<GroupId> {
  private static final Pattern SHAPE = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

  public GroupId {
    Objects.requireNonNull(value, "value");
    value = value.toLowerCase(Locale.ROOT);
    if (!SHAPE.matcher(value).matches()) {
      throw new IllegalArgumentException("not a group id: " + value);
    }
  }

  public static GroupId of(String value) {
    return new GroupId(value);
  }

  public static boolean isGroupId(String s) {
    return s != null && SHAPE.matcher(s.toLowerCase(Locale.ROOT)).matches();
  }

  @Override
  public String id() {
    return value;
  }

  @Override
  public int compareTo(GroupId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
