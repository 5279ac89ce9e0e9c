package chatgate.core.model;

import java.util.Locale;
import java.util.Objects;

/**
 * An IM contact a phone writes to through its session on one of its IM accounts (P1.5): the
 * target of a phone's text relayed to IM (ADR 0022). Stored as {@code "<address> via <account>"};
 * bare addresses (JIDs) hold no spaces, so the form reads back unambiguously.
 *
 * @param account the phone's IM account whose session carries it (bare address)
 * @param address the contact's bare address
 */
public record ImContact(String account, String address) implements Target {
  private static final String VIA = " via ";

  public ImContact {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(address, "address");
    account = account.strip().toLowerCase(Locale.ROOT);
    address = address.strip().toLowerCase(Locale.ROOT);
    if (account.isEmpty() || address.isEmpty() || account.contains(" ") || address.contains(" ")) {
      throw new IllegalArgumentException("not an IM contact: " + address + VIA + account);
    }
  }

  /** Reads the stored form back. */
  public static ImContact of(String id) {
    int at = id.indexOf(VIA);
    if (at < 0) {
      throw new IllegalArgumentException("not an IM contact: " + id);
    }
    return new ImContact(id.substring(at + VIA.length()), id.substring(0, at));
  }

  @Override
  public String id() {
    return address + VIA + account;
  }

  @Override
  public String toString() {
    return id();
  }
}
