package chatgate.web.view;

import java.util.List;
import java.util.Optional;

/**
 * The chat page (P2.1): new messages with reply links, the conversation with the chosen
 * partner, the input box, and the partner list (groups, then online partners first).
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
    int maxChars) {

  /** One entry of the partner list, or the chosen partner. */
  public record Partner(String id, String label, boolean online, boolean group, String url) {}

  /**
   * One message of the conversation; the viewer's own carry their state (issue 16).
   */
  public record Line(String from, boolean mine, String body, String time, Optional<State> state) {
    public Line(String from, boolean mine, String body, String time) {
      this(from, mine, body, time, Optional.empty());
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

  /** A message not yet seen, with its reply link (P2.7, P2.11). */
  public record Fresh(String from, String group, String body, String replyUrl, String time) {}
}
