package chatgate.app.config;

import static chatgate.app.config.ConfigKeys.*;

import chatgate.app.config.ConfigTypes.HostPort;
import chatgate.app.config.ConfigLoader.Values;
import java.util.List;
import java.util.Locale;

/**
 * Builds each section of {@link Config} from validated values, one factory per section, adding
 * the checks that span keys (a default taken from another key, a key required by another).
 */
final class ConfigSections {
  private ConfigSections() {}

  static Config build(Values v, List<Config.SendsmsUser> sendsms, List<String> problems) {
    Config.Store store = store(v);
    return new Config(http(v), store, sms(v), smpp(v, problems), simulator(v), xmpp(v), chat(v, problems),
        new Config.Log(v.get(LOG_FORMAT), v.get(LOG_LEVEL)), List.copyOf(sendsms), cluster(v, store, problems),
        login(v), new Config.Security(v.get(SECURITY_KEY_FILE)));
  }

  static Config.Http http(Values v) {
    HostPort listen = v.get(HTTP_LISTEN);
    String publicUrl = v.get(HTTP_PUBLIC_URL);
    if (publicUrl.isEmpty()) {
      // Reply links must be reachable: a wildcard listener is named by loopback.
      String host = listen.host().equals("0.0.0.0") || listen.host().equals("::") ? "127.0.0.1" : listen.host();
      publicUrl = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + listen.port();
    }
    if (publicUrl.endsWith("/")) {
      publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
    }
    return new Config.Http(listen.host(), listen.port(), publicUrl, v.list(HTTP_TRUSTED_PROXIES),
        v.get(HTTP_MSISDN_HEADER), v.list(HTTP_REAL_IP_FROM));
  }

  static Config.Store store(Values v) {
    return new Config.Store(v.get(STORE_URL), v.get(STORE_USER), v.get(STORE_PASSWORD), v.get(STORE_SYNC));
  }

  static Config.Sms sms(Values v) {
    String region = v.get(SMS_DEFAULT_REGION);
    List<String> destinations = v.list(SMS_ALLOWED_DESTINATIONS);
    if (destinations.isEmpty()) {
      destinations = List.of(region);
    }
    return new Config.Sms(v.get(SMS_SERVICE_NUMBER), region, v.get(SMS_RETENTION), v.get(SMS_MAX_SEGMENTS),
        destinations.stream().map(d -> d.startsWith("+") ? d : d.toUpperCase(Locale.ROOT)).toList());
  }

  static Config.Smpp smpp(Values v, List<String> problems) {
    Config.Smpp smpp = new Config.Smpp(v.get(SMPP_HOST), v.get(SMPP_PORT), v.get(SMPP_SYSTEM_ID),
        v.get(SMPP_PASSWORD), v.get(SMPP_SYSTEM_TYPE), v.get(SMPP_BIND), v.get(SMPP_THROUGHPUT), v.get(SMPP_WINDOW),
        v.get(SMPP_ENQUIRE_LINK), v.get(SMPP_RECONNECT_DELAY), v.get(SMPP_MSG_ID_TYPE), v.get(SMPP_SOURCE_TON),
        v.get(SMPP_SOURCE_NPI), v.get(SMPP_DEST_TON), v.get(SMPP_DEST_NPI), v.get(SMPP_IMSI_TLV),
        v.get(SMPP_IN_DOUBT_WAIT), v.get(SMPP_SMSC_ID));
    if (!smpp.host().isEmpty() && smpp.systemId().isEmpty()) {
      problems.add(SMPP_SYSTEM_ID.path() + ": required when " + SMPP_HOST.path() + " is set");
    }
    return smpp;
  }

  static Config.Simulator simulator(Values v) {
    HostPort listen = v.get(SIMULATOR_LISTEN);
    return new Config.Simulator(listen.host(), listen.port(), v.get(SIMULATOR_PASSWORD));
  }

  static Config.Xmpp xmpp(Values v) {
    return new Config.Xmpp(v.get(XMPP_HOST), v.get(XMPP_PORT), v.get(XMPP_DOMAIN), v.get(XMPP_TLS),
        v.get(XMPP_MAX_SESSIONS), v.get(XMPP_LOGINS_PER_SECOND), v.get(XMPP_CA_FILE), v.list(XMPP_CERT_PINS));
  }

  static Config.Chat chat(Values v, List<String> problems) {
    Config.Chat chat = new Config.Chat(v.get(CHAT_WAP_IDLE), v.get(CHAT_MAX_CHARS), v.get(CHAT_ONLINE_IDLE),
        v.get(CHAT_REFRESH), v.get(CHAT_DAILY_MESSAGES), v.get(CHAT_DAILY_SMS_SEGMENTS),
        v.get(CHAT_MESSAGES_PER_MINUTE), v.get(CHAT_PUSH_ACK_WAIT), v.get(CHAT_TIME_ZONE));
    if (chat.refresh().compareTo(chat.wapIdle()) >= 0) {
      problems.add(CHAT_REFRESH.path() + ": must be shorter than " + CHAT_WAP_IDLE.path()
          + ", or refreshing pages would not count as browsing");
    }
    if (chat.onlineIdle().compareTo(chat.wapIdle()) < 0) {
      problems.add(CHAT_ONLINE_IDLE.path() + ": must not be shorter than " + CHAT_WAP_IDLE.path());
    }
    return chat;
  }

  static Config.Login login(Values v) {
    return new Config.Login(v.get(LOGIN_CODES_PER_MINUTE), v.get(LOGIN_CODES_PER_BLOCK_PER_HOUR),
        v.get(LOGIN_DAILY_CODES));
  }

  static Config.Cluster cluster(Values v, Config.Store store, List<String> problems) {
    Config.Cluster cluster = new Config.Cluster(v.get(CLUSTER_NATS_URL), v.get(CLUSTER_NODE_ID),
        v.get(CLUSTER_CLAIM_HOLD), v.get(CLUSTER_SMPP_BINDS));
    if (cluster.enabled()) {
      if (cluster.nodeId().isEmpty()) {
        problems.add(CLUSTER_NODE_ID.path() + ": \"\" must be 1 to 32 letters, digits, - or _ (each node its own)");
      }
      if (!store.url().startsWith("jdbc:postgresql:")) {
        problems.add(STORE_URL.path() + ": a cluster shares one PostgreSQL store (jdbc:postgresql:…), not a file per node");
      }
    } else if (!cluster.nodeId().isEmpty()) {
      problems.add(CLUSTER_NODE_ID.path() + ": set only with " + CLUSTER_NATS_URL.path());
    }
    return cluster;
  }
}
