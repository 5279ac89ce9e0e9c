package chatgate.core.port;

/** Calls a client's URL (a DLR callback): at least once, retried by the adapter, never blocking the caller. */
public interface HttpCallback {
  void get(String url);

  /**
   * The same, after every earlier call given this {@code order} key has ended (answered or given
   * up): one message's callbacks reach the client in the order of its states.
   */
  default void get(String order, String url) {
    get(url);
  }
}
