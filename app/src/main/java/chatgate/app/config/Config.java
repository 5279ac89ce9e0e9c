package chatgate.app.config;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

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
    Cluster cluster,
    Login login,
    Security security) {

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

  /**
   * {@code [http]}. {@code trustedProxies}: whose MSISDN header is believed; {@code realIpFrom}
   * (chatgate): whose {@code X-Forwarded-For} is believed, for the client's address.
   */
  public record Http(String host, int port, String publicUrl, List<String> trustedProxies, String msisdnHeader,
      List<String> realIpFrom) {}

  /**
   * {@code [store]}.
   *
   * @param sync a SQLite store's commits: {@code full} (each synced, survives power loss) or
   *     {@code normal} (survives a kill of the gateway), ADR 0041
   */
  public record Store(String url, String user, String password, String sync) {
    @Override
    public String toString() {
      return "Store[url=" + url + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***")
          + ", sync=" + sync + "]";
    }
  }

  /**
   * {@code [sms]}; {@code maxSegments} (chatgate: {@code max_segments}) caps the parts one chat
   * message may cost.
   */
  /**
   * @param allowedDestinations region codes ({@code CN}), E.164 prefixes ({@code +8613}) or {@code *}:
   *     the numbers the gateway sends SMS to (chatgate; default: {@code default_region} only)
   */
  public record Sms(String serviceNumber, String defaultRegion, Duration retention, int maxSegments,
      List<String> allowedDestinations) {}

  /**
   * {@code [smpp]}; an empty host means the built-in SMSC simulator. {@code msgIdType},
   * {@code sourceTon/Npi}, {@code destTon/Npi} are chatgate's (Kannel's msg-id-type and
   * source/dest-addr-ton/npi); {@code imsiTlv} is the tag of a vendor TLV carrying the sender's IMSI (0: none);
   * {@code inDoubtWait} how long an SMS a crash left in doubt waits for a receipt (ADR 0011);
   * {@code smscId} the link's name in sendsms callbacks (Kannel's smsc-id, {@code %i}).
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
      Duration inDoubtWait,
      String smscId) {
    public boolean simulated() {
      return host.isEmpty();
    }

    @Override
    public String toString() {
      return "Smpp[host=" + host + ", port=" + port + ", system_id=" + systemId + ", password=***, bind=" + bind + "]";
    }
  }

  /**
   * {@code [simulator]}; {@code password} (chatgate) is the built-in SMSC's bind password and guards
   * {@code /sim/} on a listener that is not loopback; empty: a random bind password per start, and
   * {@code /sim/} only on a loopback listener.
   */
  public record Simulator(String host, int port, String password) {
    @Override
    public String toString() {
      return "Simulator[host=" + host + ", port=" + port + ", password=" + (password.isEmpty() ? "" : "***") + "]";
    }
  }

  /** {@code [xmpp]}; an empty host means the built-in IM service only. */
  /**
   * @param maxSessions phones logged in at once, at most (each XMPP session holds two threads and a socket)
   * @param loginsPerSecond new XMPP logins started per second, at most (a server counts them per
   *     source address; the gateway's own server can take more)
   * @param caFile PEM certificates of the authorities to trust for the server's certificate, in
   *     addition to the system's (chatgate; a private CA); empty: the system's only
   * @param certPins {@code sha256/BASE64} pins of the server certificate's public key: a certificate
   *     whose key matches one is trusted whoever signed it (chatgate; a self-signed server)
   */
  public record Xmpp(String host, int port, String domain, String tls, int maxSessions, int loginsPerSecond,
      String caFile, List<String> certPins) {}

  /**
   * {@code [chat]}; {@code onlineIdle} and {@code refresh} are chatgate's: how long after the last
   * sign of life a web user counts as online, and how often script-less pages reload;
   * {@code timeZone} the zone pages show times in (empty: the machine's).
   */
  public record Chat(Duration wapIdle, int maxChars, Duration onlineIdle, Duration refresh, int dailyMessages,
      int dailySmsSegments, int messagesPerMinute, Duration pushAckWait, Optional<ZoneId> timeZone) {}

  /**
   * {@code [login]} (chatgate): what the web login's code SMS may cost, whoever asks. A block is a
   * number without its last three digits (the ranges SMS pumping walks through).
   */
  public record Login(int codesPerMinute, int codesPerBlockPerHour, int dailyCodes) {}

  /** {@code [security]} (chatgate): the file holding the gateway's secret key (ADR 0013). */
  public record Security(String keyFile) {}

  /** {@code [log]} (chatgate): {@code text} or {@code json} lines. */
  public record Log(String format, String level) {}

  /**
   * {@code [[sendsms_users]]}; {@code allowIp} (CIDRs, empty: any address) and {@code dlrUrlAllow}
   * (URL prefixes a {@code dlr-url} may start with, beyond public addresses) are chatgate's.
   */
  public record SendsmsUser(String username, String password, List<String> allowIp, List<String> dlrUrlAllow) {
    @Override
    public String toString() {
      return "SendsmsUser[" + username + "]";
    }
  }
}
