package chatgate.app;

import chatgate.core.model.Delivery;
import chatgate.core.model.DeliveryState;
import chatgate.core.model.Msisdn;
import chatgate.core.port.MessageStore;
import chatgate.core.port.MessageStore.Item;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chatgate admin queue list|retry|purge}: the delivery queue of the store a running
 * gateway uses. The gateway's delivery stage polls the store, so a retried delivery is picked
 * up within its poll interval and a purged one is never started again.
 */
@Command(name = "queue", description = "List, retry or purge deliveries in the queue.",
    subcommands = {QueueCmd.ListQueue.class, QueueCmd.Retry.class, QueueCmd.Purge.class})
final class QueueCmd implements Callable<Integer> {
  /** Far enough ahead that every delivery not done counts as due. */
  private static final Instant END_OF_TIME = Instant.ofEpochMilli(Long.MAX_VALUE / 2);
  static final String PURGED = "purged by operator";

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  static String line(Item i, Instant now) {
    Delivery d = i.delivery();
    StringBuilder b = new StringBuilder();
    b.append(d.id()).append('\t').append(d.recipient().e164()).append('\t').append(d.state())
        .append('\t').append(d.route().map(Enum::name).orElse("-"))
        .append("\tattempts=").append(d.attempts())
        .append("\tage=").append(human(Duration.between(i.message().acceptedAt(), now)));
    if (!d.state().done()) {
      Duration wait = Duration.between(now, d.nextAttemptAt());
      b.append("\tnext=").append(wait.isNegative() ? "due" : "in " + human(wait));
    }
    d.lastError().ifPresent(e -> b.append("\terror=").append(e));
    return b.toString();
  }

  static String human(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 7200) {
      return (s / 60) + "m";
    }
    if (s < 172_800) {
      return (s / 3600) + "h";
    }
    return (s / 86_400) + "d";
  }

  @Command(name = "list", description = "Deliveries not done yet, the next due first (or the failed ones).")
  static final class ListQueue extends StoreCommand {
    @Option(names = "--failed", description = "list failed deliveries instead, oldest first")
    boolean failed;

    @Option(names = "--limit", defaultValue = "50", description = "at most this many lines (default ${DEFAULT-VALUE})")
    int limit;

    @Override
    int run(Admin.Context ctx) {
      PrintWriter out = out();
      MessageStore store = ctx.store().messages();
      Instant now = ctx.clock().instant();
      MessageStore.QueueStats stats = store.queueStats();
      out.println("queued " + stats.depth() + stats.oldestAcceptedAt()
          .map(t -> ", oldest accepted " + human(Duration.between(t, now)) + " ago").orElse("")
          + "; failed " + store.count(DeliveryState.FAILED));
      List<Item> items = failed ? store.inState(DeliveryState.FAILED, limit) : store.due(END_OF_TIME, limit);
      if (!items.isEmpty()) {
        out.println("delivery\trecipient\tstate\troute\tattempts\tage\tnext/error");
      }
      for (Item i : items) {
        out.println(line(i, now));
      }
      out.flush();
      return 0;
    }
  }

  /** Which deliveries a retry or purge applies to. */
  static final class Selection {
    @Option(names = "--id", split = ",", paramLabel = "DELIVERY", description = "delivery ids (from queue list)")
    List<Long> ids;

    @Option(names = "--to", paramLabel = "MSISDN", description = "every selected delivery to this phone")
    String to;

    @Option(names = "--all", description = "every delivery the command applies to")
    boolean all;
  }

  /** The deliveries named, or all of those in the given states, optionally to one phone. */
  static Optional<List<Item>> select(Admin.Context ctx, Selection sel, List<DeliveryState> states, PrintWriter err) {
    MessageStore store = ctx.store().messages();
    List<Item> out = new ArrayList<>();
    if (sel.ids != null) {
      for (long id : sel.ids) {
        Optional<Item> i = store.item(id);
        if (i.isEmpty()) {
          err.println("no delivery " + id);
          return Optional.empty();
        }
        if (!states.contains(i.get().delivery().state())) {
          err.println("delivery " + id + " is " + i.get().delivery().state() + ", not " + states);
          return Optional.empty();
        }
        out.add(i.get());
      }
      return Optional.of(out);
    }
    Optional<Msisdn> to = Optional.empty();
    if (sel.to != null) {
      to = ctx.number(sel.to, err);
      if (to.isEmpty()) {
        return Optional.empty();
      }
    }
    for (DeliveryState s : states) {
      List<Item> found = s.done() ? store.inState(s, Integer.MAX_VALUE) : store.due(END_OF_TIME, Integer.MAX_VALUE);
      for (Item i : found) {
        if (i.delivery().state() == s && to.map(m -> m.equals(i.delivery().recipient())).orElse(true)) {
          out.add(i);
        }
      }
    }
    return Optional.of(out);
  }

  /** Retry and purge: select deliveries in some states, change each, store them, say how many. */
  abstract static class Change extends StoreCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    abstract List<DeliveryState> from();

    abstract Delivery change(Delivery d, Instant now);

    abstract String verb();

    @Override
    int run(Admin.Context ctx) {
      Optional<List<Item>> items = select(ctx, selection, from(), err());
      if (items.isEmpty()) {
        return 1;
      }
      Instant now = ctx.clock().instant();
      List<Delivery> changed = items.get().stream().map(i -> change(i.delivery(), now)).toList();
      ctx.store().messages().update(changed);
      out().println(verb() + " " + changed.size() + " deliver" + (changed.size() == 1 ? "y" : "ies"));
      out().flush();
      return 0;
    }
  }

  @Command(name = "retry", description = "Send failed deliveries again, or waiting ones now.")
  static final class Retry extends Change {
    @Override
    List<DeliveryState> from() {
      return List.of(DeliveryState.FAILED, DeliveryState.PENDING);
    }

    @Override
    Delivery change(Delivery d, Instant now) {
      // A fresh start: due now, attempts from zero, so the stage's attempt limit applies anew.
      return new Delivery(d.id(), d.messageId(), d.recipient(), DeliveryState.PENDING, d.route(), 0, now,
          d.keepUntil(), d.seenAt(), d.replyHash(), d.smscIds(), d.lastError(), now);
    }

    @Override
    String verb() {
      return "retrying";
    }
  }

  @Command(name = "purge", description = "Give up deliveries not done yet: they are marked failed and never sent.")
  static final class Purge extends Change {
    @Override
    List<DeliveryState> from() {
      return List.of(DeliveryState.PENDING, DeliveryState.AWAITING_FETCH);
    }

    @Override
    Delivery change(Delivery d, Instant now) {
      return d.withState(DeliveryState.FAILED, now).withError(PURGED);
    }

    @Override
    String verb() {
      return "purged";
    }
  }
}
