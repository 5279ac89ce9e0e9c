package chatgate.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** {@code [[sendsms_users]]}: an array of tables, each checked field by field. */
final class SendsmsUsers {
  private static final List<String> FIELDS = List.of("username", "password", "allow_ip", "dlr_url_allow");

  private SendsmsUsers() {}

  static void read(JsonNode node, List<Config.SendsmsUser> out, List<String> problems) {
    if (!node.isArray()) {
      problems.add("[[sendsms_users]]: must be an array of tables");
      return;
    }
    int i = 0;
    for (JsonNode u : node) {
      i++;
      String where = "[[sendsms_users]] #" + i;
      if (!u.isObject()) {
        problems.add(where + ": must be a table");
        continue;
      }
      for (Iterator<String> names = u.fieldNames(); names.hasNext(); ) {
        String n = names.next();
        if (!FIELDS.contains(n)) {
          problems.add(where + " " + n + ": unknown key");
        }
      }
      String name = u.path("username").asText("");
      String pass = u.path("password").asText("");
      if (name.isEmpty() && pass.isEmpty()) {
        continue; // the contract's example entry, left empty: no user
      }
      if (name.isEmpty() || pass.isEmpty()) {
        problems.add(where + ": username and password are both required");
        continue;
      }
      List<String> allowIp = strings(u.path("allow_ip"), where + " allow_ip", problems);
      for (String p : allowIp) {
        if (!ConfigTypes.validCidr(p)) {
          problems.add(where + " allow_ip: \"" + p + "\" is not an address or CIDR");
        }
      }
      List<String> dlrAllow = strings(u.path("dlr_url_allow"), where + " dlr_url_allow", problems);
      for (String p : dlrAllow) {
        if (!p.matches("(?i)https?://[^\\s/]+(/\\S*)?")) {
          problems.add(where + " dlr_url_allow: \"" + p + "\" is not an http(s) URL prefix");
        }
      }
      out.add(new Config.SendsmsUser(name, pass, allowIp, dlrAllow));
    }
  }

  private static List<String> strings(JsonNode node, String where, List<String> problems) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      problems.add(where + ": must be a list of strings");
      return List.of();
    }
    List<String> items = new ArrayList<>();
    node.forEach(x -> items.add(x.asText().strip()));
    return List.copyOf(items);
  }
}
