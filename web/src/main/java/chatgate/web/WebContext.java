package chatgate.web;

import chatgate.core.auth.LoginService;
import chatgate.core.chat.ChatService;
import chatgate.core.chat.Inbox;
import chatgate.core.delivery.DeliveryStage;
import chatgate.core.port.MessageStore;
import chatgate.core.port.PresenceRegistry;
import chatgate.core.port.VirtualHandsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The core services the web adapter drives; it decides nothing itself. */
public record WebContext(
    ChatService chat,
    LoginService login,
    DeliveryStage stage,
    PresenceRegistry presence,
    MessageStore store,
    Inbox inbox,
    Optional<VirtualHandsets> handsets,
    Clock clock,
    Supplier<Map<String, Boolean>> readiness) {

  /**
   * A readiness part of this name (whatever its value) means the node is draining: {@code /readyz}
   * answers 503 {@code draining} so that a load balancer takes it out (issue 20).
   */
  public static final String DRAINING = "draining";

  /** Always ready, with no parts to check (tests). */
  public static Supplier<Map<String, Boolean>> alwaysReady() {
    return Map::of;
  }
}
