package chatgate.core.port;

/** Calls a client's URL (a DLR callback): at least once, retried by the adapter, never blocking the caller. */
public interface HttpCallback {
  void get(String url);
}
