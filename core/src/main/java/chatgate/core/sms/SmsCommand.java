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

  /** {@code HELP 2} / {@code 帮助2}: the name, group and block commands. */
  record HelpMore() implements SmsCommand {}

  /** Stop all SMS from the gateway. */
  record Stop() implements SmsCommand {}

  /** Resume SMS after STOP. */
  record Start() implements SmsCommand {}

  /** The state of the phone's last few sent messages (issue 16). */
  record Status() implements SmsCommand {}

  /** {@code NAME 小红}: the phone's own display name (issue 18). */
  record SetName(String name) implements SmsCommand {}

  /** {@code NAME @13800000002 Bob}: a name for a contact only this phone sees; empty forgets it. */
  record NameContact(String target, String name) implements SmsCommand {}

  /** {@code MEMBERS @家人}: who is in a group. */
  record Members(String group) implements SmsCommand {}

  /** {@code JOIN @家人}: join an open group. */
  record Join(String group) implements SmsCommand {}

  /** {@code LEAVE @家人}: leave a group. */
  record Leave(String group) implements SmsCommand {}

  /** {@code BLOCK @13800000002}: no more messages from that sender. */
  record Block(String target) implements SmsCommand {}

  /** {@code UNBLOCK @13800000002}. */
  record Unblock(String target) implements SmsCommand {}

  /** {@code TZ +8} / {@code 时区 +8}: the zone the phone's times are shown in, as typed (ADR 0048). */
  record SetTimeZone(String zone) implements SmsCommand {}

  /** Looked like a command but its parts were missing; {@code usage} names which. */
  record Malformed(Usage usage) implements SmsCommand {}

  /** The command whose form was wrong, for a reply that shows the right one. */
  enum Usage {
    LOGIN,
    SEND,
    /** NAME without a name. */
    NAME,
    /** MEMBERS, JOIN, LEAVE, BLOCK, UNBLOCK without a single {@code @target}. */
    GROUP,
    /** TZ without a zone, or with one that is none. */
    TIME_ZONE
  }
}
