package chatgate.core.chat;

import java.text.Normalizer;
import java.util.Optional;

/**
 * What a display name may be (a user's own, a name given to a contact, the patent's
 * {@code 用户名}; ADR 0040): 1 to {@link #MAX} characters after cleaning, at least one letter, and
 * none of {@code @ : ： [ ] 【 】 < >}. A name shows where a sender shows, in SMS frames
 * ({@code [家人]小红: …}) and on pages, so it must not pass for a number (no letter), a command
 * target ({@code @}), or another sender's frame ({@code :}, brackets). Pages escape it anyway.
 */
public final class DisplayNames {
  public static final int MAX = 20;
  private static final String FORBIDDEN = "@:：[]【】<>";

  private DisplayNames() {}

  /** The name as it will be kept, or empty if it is not allowed. */
  public static Optional<String> clean(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    Optional<String> c = TextPolicy.clean(Normalizer.normalize(raw, Normalizer.Form.NFC));
    if (c.isEmpty()) {
      return Optional.empty();
    }
    String s = c.get().replaceAll("\\s+", " ").strip();
    int n = s.codePointCount(0, s.length());
    if (n == 0 || n > MAX || s.chars().anyMatch(ch -> FORBIDDEN.indexOf(ch) >= 0)
        || s.codePoints().noneMatch(Character::isLetter)) {
      return Optional.empty();
    }
    return Optional.of(s);
  }
}
