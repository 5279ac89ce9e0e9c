package chatgate.cluster;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@code [cluster]}: the NATS server every node talks to, and this node's name (a NATS subject
 * token and KV key part, so letters, digits, {@code -} and {@code _}). {@code claimHold} is how
 * long a node owns a delivery it took before another may take it over (ADR 0010).
 */
public record ClusterSettings(String natsUrl, String nodeId, Duration claimHold) {
  public static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

  public ClusterSettings {
    if (!NODE_ID.matcher(nodeId).matches()) {
      throw new IllegalArgumentException("node id must be 1 to 32 letters, digits, - or _: " + nodeId);
    }
  }
}
