package chatgate.core.port;

/**
 * Unique, roughly time-ordered 63-bit ids for messages and deliveries, made without asking the
 * database so that a node can name a message before it is stored.
 */
public interface IdGenerator {
  long next();

  /**
   * Whether this generator made this id since it was created: what a node made since it started
   * it knows in memory, what another node or an earlier run made it must look up. False when it
   * cannot tell.
   */
  default boolean minted(long id) {
    return false;
  }
}
