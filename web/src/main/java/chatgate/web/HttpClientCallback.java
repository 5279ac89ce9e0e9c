package chatgate.web;

import chatgate.core.port.HttpCallback;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DLR callbacks over HTTP GET, each on a virtual thread: a 2xx ends it; anything else is tried
 * again after 1, 4, 16 s (four tries in all), so a client that is briefly down still hears. At
 * most 64 calls run at once: a slow client cannot take the gateway's memory with it.
 */
public final class HttpClientCallback implements HttpCallback {
  private static final Logger log = LoggerFactory.getLogger(HttpClientCallback.class);
  private static final int TRIES = 4;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private final Semaphore running = new Semaphore(64);

  @Override
  public void get(String url) {
    Thread.ofVirtual().name("dlr-callback").start(() -> call(url));
  }

  private void call(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      log.warn("DLR callback URL is not a URI: {}", e.getMessage());
      return;
    }
    long wait = 1000;
    for (int i = 1; i <= TRIES; i++) {
      try {
        running.acquire();
        try {
          int status = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
              HttpResponse.BodyHandlers.discarding()).statusCode();
          if (status / 100 == 2) {
            return;
          }
          log.info("DLR callback to {} answered {} (try {})", uri.getHost(), status, i);
        } finally {
          running.release();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        log.info("DLR callback to {} failed (try {}): {}", uri.getHost(), i, e.toString());
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      wait *= 4;
    }
  }
}
