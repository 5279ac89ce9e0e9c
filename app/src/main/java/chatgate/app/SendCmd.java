package chatgate.app;

import chatgate.app.config.Config;
import chatgate.core.chat.ChatService;
import chatgate.core.chat.ChatSettings;
import chatgate.core.chat.SendResult;
import chatgate.core.ids.SnowflakeIds;
import chatgate.core.limits.Destinations;
import chatgate.core.limits.SenderQuotas;
import chatgate.core.memory.LocalPresence;
import chatgate.core.model.Msisdn;
import chatgate.core.model.Origin;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chatgate admin send}: stores a message; the running gateway's delivery stage finds and sends it. */
@Command(name = "send", description = "Send a message: from a phone with --from, else a notice from the gateway.")
final class SendCmd extends StoreCommand {
  @Option(names = "--to", required = true, description = "phone number or group id")
  String to;

  @Option(names = "--text", required = true)
  String text;

  @Option(names = "--from", description = "the phone it is from")
  String from;

  @Override
  int run(Admin.Context ctx) {
    Config c = ctx.config();
    ChatService chat = new ChatService(ctx.store().users(), ctx.store().groups(), ctx.store().messages(),
        new LocalPresence(c.chat().wapIdle(), c.chat().onlineIdle()), new SnowflakeIds(1023, ctx.clock()),
        ctx.numbers(), ctx.clock(), new ChatSettings(c.chat().maxChars(), c.sms().retention(), c.chat().wapIdle(),
            c.http().publicUrl()), KeyFile.load(Path.of(c.security().keyFile())));
    // The operator's own sends: allowed destinations hold, the phones' quotas do not.
    chat.limits(Destinations.of(c.sms().allowedDestinations()), SenderQuotas.Settings.unlimited(), c.sms().maxSegments());
    // No dispatcher here: the running gateway's delivery stage finds the stored message.
    SendResult r;
    if (from == null) {
      Optional<Msisdn> m = ctx.number(to, err());
      if (m.isEmpty()) {
        return 2;
      }
      r = chat.notice(m.get(), text, null); // the operator's, unsolicited: not after STOP
    } else {
      Optional<Msisdn> f = ctx.number(from, err());
      if (f.isEmpty()) {
        return 2;
      }
      r = chat.send(f.get(), to, text, Origin.API, null);
    }
    if (r instanceof SendResult.Rejected rej) {
      err().println("not sent: " + rej.problem().name().toLowerCase(Locale.ROOT).replace('_', ' ')
          + (rej.detail().isEmpty() ? "" : " (" + rej.detail() + ")"));
      return 1;
    }
    SendResult.Sent s = (SendResult.Sent) r;
    out().println("accepted message " + s.message().id() + " for " + s.deliveries().size() + " recipient(s)");
    return 0;
  }
}
