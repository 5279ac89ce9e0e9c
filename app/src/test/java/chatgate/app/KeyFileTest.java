package chatgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import chatgate.core.auth.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key file (ADR 0013): created once, 0600, the same key for everyone who reads it. */
class KeyFileTest {
  @TempDir
  Path dir;

  @Test
  void aMissingKeyFileIsCreatedPrivateAndReadTheSameAfterwards() throws Exception {
    Path f = dir.resolve("sub/chatgate.key");
    Keys first = KeyFile.load(f);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    assertThat(KeyFile.load(f).checkValue()).isEqualTo(first.checkValue());
    assertThat(Files.readString(f).strip()).hasSize(44); // 32 bytes in base64
  }

  @Test
  void nodesStartingAtOnceEndWithOneKey() throws Exception {
    Path f = dir.resolve("shared.key");
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<String>> all = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      all.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return KeyFile.load(f).checkValue();
      }));
    }
    go.countDown();
    String one = all.get(0).join();
    for (CompletableFuture<String> c : all) {
      assertThat(c.join()).isEqualTo(one);
    }
    assertThat(KeyFile.load(f).checkValue()).isEqualTo(one);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("shared.key");
    }
  }
}
