package chatgate.core.delivery;

import chatgate.core.i18n.Texts;
import chatgate.core.model.Language;
import chatgate.core.sms.Segmenter;
import chatgate.core.sms.SmsEncoding;
import java.util.Optional;

/**
 * Writes the SMS that carries a chat message: who wrote it, the group if any, the text, and the
 * reply link (P2.7). It keeps the labels short so that a short message stays one SMS, and caps
 * long ones at {@code maxSegments}, ending with "…" and the link, where the whole text can be
 * read.
 */
public final class SmsComposer {
  private static final int LABEL_MAX = 12;
  private final int maxSegments;

  public SmsComposer(int maxSegments) {
    if (maxSegments < 1) {
      throw new IllegalArgumentException("max segments must be at least 1");
    }
    this.maxSegments = maxSegments;
  }

  public String compose(Language lang, String sender, Optional<String> group, String body, String link) {
    String full = format(lang, sender, group, body, link);
    if (Segmenter.fitsOne(full)) {
      return full;
    }
    // Shorter labels first: they are what costs a second segment for a short text.
    String s = shorten(sender);
    Optional<String> g = group.map(SmsComposer::shorten);
    String shorter = format(lang, s, g, body, link);
    if (Segmenter.fitsOne(shorter) || Segmenter.count(shorter) <= maxSegments) {
      return shorter;
    }
    // Too long even split: cut the text, keeping the link that opens the whole of it.
    int lo = 0;
    int hi = body.length();
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      String candidate = format(lang, s, g, cut(body, mid), link);
      if (Segmenter.count(candidate) <= maxSegments) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return format(lang, s, g, cut(body, lo), link);
  }

  private static String cut(String body, int len) {
    if (len >= body.length()) {
      return body;
    }
    int end = len;
    if (end > 0 && Character.isHighSurrogate(body.charAt(end - 1))) {
      end--;
    }
    return body.substring(0, end) + ellipsis(body);
  }

  private static String shorten(String label) {
    if (label.length() <= LABEL_MAX) {
      return label;
    }
    String e = ellipsis(label);
    return label.substring(0, LABEL_MAX - e.length()) + e;
  }

  /** "…" is not in the GSM alphabet: in a 7-bit text it would force UCS-2 and halve the room. */
  private static String ellipsis(String text) {
    return SmsEncoding.of(text) == SmsEncoding.GSM7 ? "..." : "…";
  }

  private static String format(Language lang, String sender, Optional<String> group, String body, String link) {
    return group.isPresent()
        ? Texts.sms(lang, Texts.Sms.CHAT_GROUP, group.get(), sender, body, link)
        : Texts.sms(lang, Texts.Sms.CHAT, sender, body, link);
  }
}
