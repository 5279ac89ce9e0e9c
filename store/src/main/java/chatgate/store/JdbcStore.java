package chatgate.store;

import chatgate.core.auth.Tokens;
import chatgate.core.port.AuthStore;
import chatgate.core.port.DlrCallbacks;
import chatgate.core.port.GroupDirectory;
import chatgate.core.port.ImAccounts;
import chatgate.core.port.MessageStore;
import chatgate.core.port.MoPartStore;
import chatgate.core.port.ReadMarkers;
import chatgate.core.port.UserDirectory;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.Function;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

/**
 * The durable store: SQLite (one file, WAL, commits synced as {@link Sync} says) by default, PostgreSQL in
 * production. Schema by Flyway, one migration folder per engine; queries in plain SQL through
 * JDBI. Writes go through one {@link GroupCommit} writer; reads use their own connections.
 */
public final class JdbcStore implements AutoCloseable {
  private final String engine;
  private final HikariDataSource readPool;
  private final HikariDataSource writePool;
  private final Jdbi reads;
  private final GroupCommit writes;
  private final JdbcUsers users;
  private final JdbcGroups groups;
  private final JdbcMessages messages;
  private final JdbcAuth auth;
  private final JdbcMoParts moParts;
  private final JdbcImAccounts imAccounts;
  private final JdbcDlrCallbacks dlrCallbacks;
  private final JdbcReadMarkers readMarkers;

  private JdbcStore(String engine, HikariDataSource readPool, HikariDataSource writePool) {
    this.engine = engine;
    this.readPool = readPool;
    this.writePool = writePool;
    this.reads = Jdbi.create(readPool);
    this.writes = new GroupCommit(Jdbi.create(writePool), "store-writer");
    this.users = new JdbcUsers(reads, writes);
    this.groups = new JdbcGroups(reads, writes);
    this.messages = new JdbcMessages(reads, writes, engine.equals("postgresql"));
    this.auth = new JdbcAuth(reads, writes);
    this.moParts = new JdbcMoParts(reads, writes);
    this.imAccounts = new JdbcImAccounts(reads, writes);
    this.dlrCallbacks = new JdbcDlrCallbacks(reads, writes);
    this.readMarkers = new JdbcReadMarkers(reads, writes);
  }

  /**
   * When a SQLite commit is on disk (ADR 0041). {@link #FULL}: the WAL is synced at every commit,
   * so an acknowledged write survives power loss. {@link #NORMAL}: the commit is written to the
   * WAL file (the operating system holds it) and synced at checkpoints, so it survives the
   * gateway's crash or kill, not the machine's. PostgreSQL commits as its server is configured.
   */
  public enum Sync {
    FULL,
    NORMAL
  }

  /** Opens (and migrates) the store at a JDBC URL: {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://…}. */
  public static JdbcStore open(String jdbcUrl, String user, String password) {
    return open(jdbcUrl, user, password, Sync.FULL);
  }

  /** {@link #open(String, String, String)}, a SQLite store committing as {@code sync} says. */
  public static JdbcStore open(String jdbcUrl, String user, String password, Sync sync) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return openSqlite(jdbcUrl, sync);
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return openPostgres(jdbcUrl, user, password);
    }
    throw new IllegalArgumentException("unsupported store url (jdbc:sqlite: or jdbc:postgresql:): " + jdbcUrl);
  }

  private static JdbcStore openSqlite(String url, Sync sync) {
    String file = url.substring("jdbc:sqlite:".length());
    int q = file.indexOf('?');
    String path = q >= 0 ? file.substring(0, q) : file;
    if (path.isEmpty() || path.equals(":memory:") || path.startsWith("file::memory:")) {
      throw new IllegalArgumentException("SQLite store needs a file, not an in-memory database: " + url);
    }
    // The database holds messages and sessions: only the gateway's user reads it. SQLite gives its
    // -wal and -shm files the main file's permissions, so creating that 0600 first covers them.
    Path db = Path.of(path);
    PrivateFiles.file(db);
    PrivateFiles.narrowIfPresent(Path.of(path + "-wal"));
    PrivateFiles.narrowIfPresent(Path.of(path + "-shm"));
    SQLiteDataSource writer = sqlite(url, true, sync);
    Migrations.migrate(new Migrating(writer.getConfig(), url), "sqlite");
    // One writer connection: SQLite has one writer at a time anyway, and the group commit batches.
    HikariDataSource writePool = pool(writer, "sqlite-write", 1);
    HikariDataSource readPool = pool(sqlite(url, false, sync), "sqlite-read", 4);
    return new JdbcStore("sqlite", readPool, writePool);
  }

  /** Connections that migrate a SQLite file as {@link #open} does (tests of one migration). */
  static DataSource migratingSqlite(String url) {
    return new Migrating(sqlite(url, true, Sync.FULL).getConfig(), url);
  }

  /**
   * The migrating connections: SQLite has no SHA-256 in SQL, so {@code sha256_hex(text)} is given
   * to them in Java (V8 hashes the reply tokens stored before, ADR 0014).
   */
  private static final class Migrating extends SQLiteDataSource {
    Migrating(SQLiteConfig config, String url) {
      super(config);
      setUrl(url);
    }

    @Override
    public SQLiteConnection getConnection(String user, String password) throws SQLException {
      SQLiteConnection c = super.getConnection(user, password);
      Function.create(c, "sha256_hex", new Function() {
        @Override
        protected void xFunc() throws SQLException {
          String v = value_text(0);
          if (v == null) {
            result();
          } else {
            result(Tokens.sha256(v));
          }
        }
      }, 1, Function.FLAG_DETERMINISTIC);
      return c;
    }
  }

  private static SQLiteDataSource sqlite(String url, boolean writer, Sync sync) {
    SQLiteConfig c = new SQLiteConfig();
    c.setJournalMode(SQLiteConfig.JournalMode.WAL);
    c.setSynchronous(sync == Sync.FULL ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
    // Deleted rows are overwritten, not left in free pages: a login SMS's parts are deleted once joined.
    c.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
    c.setBusyTimeout(10_000);
    c.enforceForeignKeys(true);
    if (writer) {
      // Take the write lock at BEGIN, so another process (the admin command) waits instead of failing.
      c.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    }
    SQLiteDataSource ds = new SQLiteDataSource(c);
    ds.setUrl(url);
    return ds;
  }

  private static JdbcStore openPostgres(String url, String user, String password) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(url);
    hc.setUsername(user.isEmpty() ? null : user);
    hc.setPassword(password.isEmpty() ? null : password);
    hc.setPoolName("pg-read");
    hc.setMaximumPoolSize(8);
    hc.setInitializationFailTimeout(10_000);
    HikariDataSource readPool = new HikariDataSource(hc);
    Migrations.migrate(readPool, "postgresql");
    HikariConfig wc = new HikariConfig();
    hc.copyStateTo(wc);
    wc.setPoolName("pg-write");
    wc.setMaximumPoolSize(2);
    return new JdbcStore("postgresql", readPool, new HikariDataSource(wc));
  }

  private static HikariDataSource pool(DataSource ds, String name, int size) {
    HikariConfig hc = new HikariConfig();
    hc.setDataSource(ds);
    hc.setPoolName(name);
    hc.setMaximumPoolSize(size);
    hc.setMinimumIdle(1);
    return new HikariDataSource(hc);
  }

  public UserDirectory users() {
    return users;
  }

  public GroupDirectory groups() {
    return groups;
  }

  public MessageStore messages() {
    return messages;
  }

  public MoPartStore moParts() {
    return moParts;
  }

  public ImAccounts imAccounts() {
    return imAccounts;
  }

  public DlrCallbacks dlrCallbacks() {
    return dlrCallbacks;
  }

  /** How far each phone has read each conversation (issue 18). */
  public ReadMarkers readMarkers() {
    return readMarkers;
  }

  public AuthStore auth() {
    return auth;
  }

  /**
   * The single writer's work so far (all counters since start): writes, the transactions they were
   * grouped into, and seconds spent on those and, within them, on commits.
   */
  public record WriteStats(long writes, long batches, double busySeconds, double commitSeconds) {}

  public WriteStats writeStats() {
    GroupCommit.Stats s = writes.stats();
    return new WriteStats(s.writes(), s.batches(), s.busyNanos() / 1e9, s.commitNanos() / 1e9);
  }

  /** The store answers a query now (for /readyz). */
  public boolean ping() {
    try {
      return reads.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** {@code sqlite} or {@code postgresql}. */
  /**
   * Several nodes share this store: deliveries are claimed per node for {@code hold} (ADR 0010).
   * Call before the delivery stage starts.
   */
  public JdbcStore shareDeliveries(String node, Duration hold) {
    messages.shareWith(node, hold);
    return this;
  }

  public String engine() {
    return engine;
  }

  @Override
  public void close() {
    writes.close();
    readPool.close();
    writePool.close();
  }
}
