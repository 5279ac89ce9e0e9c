package chatgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** Flyway is skipped only when the schema history already ends at the newest migration (ADR 0045). */
class MigrationsTest {
  private static final Pattern VERSION = Pattern.compile("V(\\d+)__.*\\.sql");

  @TempDir
  Path dir;

  @Test
  void newestIsTheHighestMigrationFile() throws IOException, URISyntaxException {
    long highest = 0;
    for (String folder : new String[] {"common", "sqlite", "postgresql"}) {
      Path p = Path.of(MigrationsTest.class.getResource("/db/migration/" + folder).toURI());
      try (Stream<Path> files = Files.list(p)) {
        for (Path f : files.toList()) {
          Matcher m = VERSION.matcher(f.getFileName().toString());
          if (m.matches()) {
            highest = Math.max(highest, Long.parseLong(m.group(1)));
          }
        }
      }
    }
    assertThat(Migrations.NEWEST).as("Migrations.NEWEST after adding a migration").isEqualTo(highest);
  }

  @Test
  void aNewStoreIsNotCurrentAMigratedOneIs() throws SQLException {
    String url = "jdbc:sqlite:" + dir.resolve("a.db");
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl(url);
    assertThat(Migrations.current(ds)).isFalse();
    JdbcStore.open(url, "", "").close();
    assertThat(Migrations.current(ds)).isTrue();
  }

  @Test
  void aStoreOneMigrationBehindIsLeftToFlyway() throws SQLException {
    String url = "jdbc:sqlite:" + dir.resolve("b.db");
    JdbcStore.open(url, "", "").close();
    // As the history of a store left by the previous build, where the newest migration has not run yet.
    exec(url, "DELETE FROM flyway_schema_history WHERE version = '" + Migrations.NEWEST + "'");
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl(url);
    assertThat(Migrations.current(ds)).isFalse();
  }

  @Test
  void aFailedMigrationIsLeftToFlyway() throws SQLException {
    String url = "jdbc:sqlite:" + dir.resolve("c.db");
    JdbcStore.open(url, "", "").close();
    exec(url, "UPDATE flyway_schema_history SET success = 0 WHERE version = '3'");
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl(url);
    assertThat(Migrations.current(ds)).isFalse();
  }

  @Test
  void aHistoryPastThisBuildIsLeftToFlyway() throws SQLException {
    String url = "jdbc:sqlite:" + dir.resolve("d.db");
    JdbcStore.open(url, "", "").close();
    exec(url, "UPDATE flyway_schema_history SET version = '" + (Migrations.NEWEST + 1) + "' WHERE version = '"
        + Migrations.NEWEST + "'");
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl(url);
    assertThat(Migrations.current(ds)).isFalse();
  }

  private static void exec(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }
}
