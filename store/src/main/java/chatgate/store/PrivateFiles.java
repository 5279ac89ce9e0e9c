package chatgate.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files only the gateway's own user may read: the data folder (0700), the SQLite files and the
 * key file (0600). Files left wider by an older version are narrowed, with a line in the log.
 * On a file system without POSIX permissions nothing is changed.
 */
public final class PrivateFiles {
  private static final Logger log = LoggerFactory.getLogger(PrivateFiles.class);
  static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /**
   * Creates the folder (and its parents) if missing; the folder itself ends 0700, unless it is a
   * shared one (writable by others, such as /tmp) or another user's, which are left as they are.
   */
  public static void directory(Path dir) {
    Path d = dir.toAbsolutePath();
    try {
      if (!Files.isDirectory(d)) {
        if (posix(d.getRoot())) {
          Files.createDirectories(d, PosixFilePermissions.asFileAttribute(DIR));
        } else {
          Files.createDirectories(d);
        }
      }
      PosixFileAttributeView view = Files.getFileAttributeView(d, PosixFileAttributeView.class);
      if (view == null) {
        return;
      }
      var attrs = view.readAttributes();
      boolean shared = attrs.permissions().contains(PosixFilePermission.OTHERS_WRITE);
      boolean mine = attrs.owner().getName().equals(System.getProperty("user.name"));
      if (!shared && mine) {
        narrow(d, DIR);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + d, e);
    }
  }

  /** Creates an empty file 0600 if missing (its folder 0700); an existing one is narrowed to 0600. */
  public static void file(Path file) {
    Path f = file.toAbsolutePath();
    if (f.getParent() != null) {
      directory(f.getParent());
    }
    try {
      if (posix(f.getParent())) {
        Files.createFile(f, PosixFilePermissions.asFileAttribute(FILE));
      } else {
        Files.createFile(f);
      }
    } catch (FileAlreadyExistsException e) {
      narrow(f, FILE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + f, e);
    }
  }

  /** Narrows an existing file to 0600 (no-op when missing). */
  public static void narrowIfPresent(Path file) {
    if (Files.exists(file)) {
      narrow(file.toAbsolutePath(), FILE);
    }
  }

  private static boolean posix(Path p) {
    return p != null && Files.getFileAttributeView(p, PosixFileAttributeView.class) != null;
  }

  private static void narrow(Path p, Set<PosixFilePermission> wanted) {
    try {
      PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
      if (view == null) {
        return;
      }
      Set<PosixFilePermission> now = view.readAttributes().permissions();
      if (!now.equals(wanted)) {
        view.setPermissions(wanted);
        log.info("narrowed the permissions of {} from {} to {}", p, PosixFilePermissions.toString(now),
            PosixFilePermissions.toString(wanted));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set the permissions of " + p, e);
    }
  }
}
