package chatgate.app.config;

import java.time.Duration;
import java.util.List;

/**
 * The whole configuration, as validated at start-up. Keys and defaults are those of the
 * contract ({@code CONTRACT.md}); keys the contract does not name are marked "chatgate" and
 * documented in the README's configuration reference.
 */
public record Config(
    Http http,
    Store store,
    Sms sms,
    Smpp smpp,
    Simulator simulator,
    Xmpp xmpp,
    Chat chat,
    Log log,
    List<SendsmsUser> sendsmsUsers,
    Cluster cluster) {

  /**
   * {@code [cluster]} (chatgate): empty {@code natsUrl} means one node with no NATS. {@code claimHold}:
   * how long a node owns a delivery it took before another node may take it over (ADR 0010);
   * {@code smppBinds}: how many binds the SMSC account allows the whole cluster (0: each node binds).
   */
  public record Cluster(String natsUrl, String nodeId, Duration claimHold, int smppBinds) {
    public boolean enabled() {
      return !natsUrl.isEmpty();
    }
  }

  /** {@code [http]}. */
  public record Http(String host, int port, String publicUrl, List<String> trustedProxies, String msisdnHeader) {}

  /** {@code [store]}. */
  public record Store(String url, String user, String password) {
    @Override
    public String toString() {
      return "Store[url=" + url + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***") + "]";
    }
  }

  /**
   * {@code [sms]}; {@code maxSegments} (chatgate: {@code max_segments}) caps the parts one chat
   * message may cost.
   */
  public record Sms(String serviceNumber, String defaultRegion, Duration retention, int maxSegments) {}

  /**
   * {@code [smpp]}; an empty host means the built-in SMSC simulator. {@code msgIdType},
   * {@code sourceTon/Npi}, {@code destTon/Npi} are chatgate's (Kannel's msg-id-type and
   * source/dest-addr-ton/npi); {@code imsiTlv} is the tag of a vendor TLV carrying the sender's IMSI (0: none);
   * {@code inDoubtWait} how long an SMS a crash left in doubt waits for a receipt (ADR 0011).
   */
  public record Smpp(
      String host,
      int port,
      String systemId,
      String password,
      String systemType,
      String bind,
      int throughput,
      int window,
      Duration enquireLink,
      Duration reconnectDelay,
      String msgIdType,
      int sourceTon,
      int sourceNpi,
      int destTon,
      int destNpi,
      int imsiTlv,
      Duration inDoubtWait) {
    public boolean simulated() {
      return host.isEmpty();
    }

    @Override
    public String toString() {
      return "Smpp[host=" + host + ", port=" + port + ", system_id=" + systemId + ", password=***, bind=" + bind + "]";
    }
  }

  /** {@code [simulator]}. */
  public record Simulator(String host, int port) {}

  /** {@code [xmpp]}; an empty host means the built-in IM service only. */
  /** @param maxSessions phones logged in at once, at most (each XMPP session holds two threads and a socket) */
  public record Xmpp(String host, int port, String domain, String tls, int maxSessions) {}

  /**
   * {@code [chat]}; {@code onlineIdle} and {@code refresh} are chatgate's: how long after the last
   * sign of life a web user counts as online, and how often script-less pages reload.
   */
  public record Chat(Duration wapIdle, int maxChars, Duration onlineIdle, Duration refresh) {}

  /** {@code [log]} (chatgate): {@code text} or {@code json} lines. */
  public record Log(String format, String level) {}

  /** {@code [[sendsms_users]]}. */
  public record SendsmsUser(String username, String password) {
    @Override
    public String toString() {
      return "SendsmsUser[" + username + "]";
    }
  }
}
