package chatgate.xmpp;

import chatgate.core.port.ImPort.Archived;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.mam.MamManager;
import org.jivesoftware.smackx.mam.element.MamPrefsIQ;
import org.jivesoftware.smackx.sid.element.OriginIdElement;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Whether the account's own XEP-0313 archive holds a message it sent (ADR 0030): the server
 * archives a message when it takes it, so a text in the archive reached the server, and a text
 * absent from an archive that keeps everything never did. Bounded: the archive is asked only for
 * messages with that contact since the given time, at most {@link #PAGES} pages of {@link #PAGE}.
 */
final class XmppArchive {
  /** At most this many archive pages of {@link #PAGE} messages are read to settle one text. */
  static final int PAGES = 10;
  static final int PAGE = 50;
  /** The archive is searched from this long before the text was stored: the server's clock may differ. */
  static final Duration CLOCK_SLACK = Duration.ofMinutes(5);

  private XmppArchive() {}

  /**
   * Asks the server. {@link Archived#UNKNOWN} when it has no archive (disco lacks
   * {@code urn:xmpp:mam:2}), does not archive every message with {@code to} (the account's default
   * "never", or "roster" with {@code to} not on it), or has more than the bound to read.
   */
  static Archived ask(XMPPTCPConnection conn, Roster roster, BareJid account, String to, String id, Instant since)
      throws Exception {
    EntityBareJid with = JidCreate.entityBareFrom(to.contains("@") ? to : to + "@" + account.getDomain());
    MamManager mam = MamManager.getInstanceFor(conn);
    if (!mam.isSupported()) {
      return Archived.UNKNOWN;
    }
    MamPrefsIQ.DefaultBehavior policy;
    try {
      policy = mam.retrieveArchivingPreferences().mamPrefs.getDefault();
    } catch (XMPPException.XMPPErrorException e) {
      return Archived.UNKNOWN; // no preferences to read: whether it archives everything cannot be told
    }
    boolean everything = policy == MamPrefsIQ.DefaultBehavior.always
        || (policy == MamPrefsIQ.DefaultBehavior.roster && roster.contains(with));
    if (!everything) {
      return Archived.UNKNOWN;
    }
    MamManager.MamQuery q = mam.queryArchive(MamManager.MamQueryArgs.builder().limitResultsToJid(with)
        .limitResultsSince(Date.from(since.minus(CLOCK_SLACK))).setResultPageSizeTo(PAGE).build());
    List<Message> page = q.getMessages();
    for (int n = 1; ; n++) {
      for (Message m : page) {
        if (id.equals(m.getStanzaId()) || (OriginIdElement.hasOriginId(m)
            && id.equals(OriginIdElement.getOriginId(m).getId()))) {
          return Archived.YES;
        }
      }
      if (q.isComplete()) {
        return Archived.NO;
      }
      if (n >= PAGES || page.isEmpty()) {
        return Archived.UNKNOWN; // too many to read through: not worth a guess
      }
      page = q.pageNext(PAGE);
    }
  }

}
