package chatgate.core.sms;

/**
 * A mobile-originated SMS to the service number, as understood (the SMS commands of the
 * contract). A record holding a password masks it in {@code toString}, so it cannot reach a log
 * by accident.
 */
public sealed interface SmsCommand {

  /** Log in to IM account {@code account}, shown as {@code name} (P1.8); name may be empty. */
  record ImLogin(String account, String name, String password) implements SmsCommand {
    @Override
    public String toString() {
      return "ImLogin[account=" + account + ", name=" + name + ", password=***]";
    }
  }

  /** Online contacts, numbered. */
  record Who() implements SmsCommand {}

  /** {@code @NAME text}: to a phone number, a group, or an IM contact's name. */
  record SendTo(String name, String text) implements SmsCommand {}

  /** {@code N text}: to contact number N of the last WHO list; {@code whole} is the full SMS. */
  record SendToIndex(int index, String text, String whole) implements SmsCommand {}

  /** Plain text: to the last partner. */
  record SendToLast(String text) implements SmsCommand {}

  /** End the IM session (all accounts when {@code account} is empty). */
  record Logout(String account) implements SmsCommand {}

  record Help() implements SmsCommand {}

  /** Stop all SMS from the gateway. */
  record Stop() implements SmsCommand {}

  /** Resume SMS after STOP. */
  record Start() implements SmsCommand {}

  /** The state of the phone's last few sent messages (issue 16). */
  record Status() implements SmsCommand {}

  /** Looked like a command but its parts were missing; {@code usage} names which. */
  record Malformed(Usage usage) implements SmsCommand {}

  /** The command whose form was wrong, for a reply that shows the right one. */
  enum Usage {
    LOGIN,
    SEND
  }
}
