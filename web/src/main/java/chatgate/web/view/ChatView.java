package chatgate.web.view;

import java.util.List;
import java.util.Optional;

/**
 * The chat page (P2.1), laid out for a 240×320 screen first (ADR 0038): the input box at the
 * top, then new messages with reply links, the conversation with the chosen partner newest
 * first under day headings, and the partner list (groups, then online partners first).
 *
 * @param watch the page that reloads itself to show what arrives (pages without script) and so
 *     has no input box: typing happens on the page that never reloads by itself
 * @param watchUrl the other mode's page: the watching page from the writing one, and back
 * @param olderUrl the next page back through the conversation, if there is older history
 */
public record ChatView(
    Common c,
    List<Fresh> fresh,
    Optional<Partner> partner,
    List<Line> lines,
    List<Partner> partners,
    boolean morePartners,
    String draftTo,
    String draftText,
    String nonce,
    int maxChars,
    boolean watch,
    String selfUrl,
    String watchUrl,
    Optional<String> olderUrl) {

  /** One entry of the partner list, or the chosen partner; {@code unread}: messages not yet opened. */
  public record Partner(String id, String label, boolean online, boolean group, String url, int unread) {
    public Partner(String id, String label, boolean online, boolean group, String url) {
      this(id, label, online, group, url, 0);
    }

    /** "● online" is a person's: a group is never shown as one. */
    public boolean showOnline() {
      return online && !group;
    }
  }

  /**
   * One message of the conversation; the viewer's own carry their state (issue 16).
   *
   * @param day a day heading to show before this line (the first line of a new day), or ""
   */
  public record Line(String from, boolean mine, String body, String time, Optional<State> state, String day) {
    public Line(String from, boolean mine, String body, String time, Optional<State> state) {
      this(from, mine, body, time, state, "");
    }

    public Line(String from, boolean mine, String body, String time) {
      this(from, mine, body, time, Optional.empty(), "");
    }
  }

  /**
   * What became of a message the viewer sent.
   *
   * @param msg the message's id, by which a state pushed live finds its line
   * @param title the details: each member of a group, or when it last changed
   * @param cls st-ok (reached everyone), st-wait (on its way), st-fail (someone will not get it)
   */
  public record State(String msg, String text, String title, String cls) {}

  /** A message not yet seen, with its reply link (P2.7, P2.11); {@code to}: whom a reply goes to. */
  public record Fresh(String from, String group, String body, String replyUrl, String time, String to) {}
}
