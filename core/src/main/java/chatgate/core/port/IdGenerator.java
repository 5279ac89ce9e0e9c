package chatgate.core.port;

/**
 * Unique, roughly time-ordered 63-bit ids for messages and deliveries, made without asking the
 * database so that a node can name a message before it is stored.
 */
public interface IdGenerator {
  long next();
}
