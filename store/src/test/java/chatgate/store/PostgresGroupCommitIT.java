package chatgate.store;

import org.jdbi.v3.core.Jdbi;

/** The group commit tests on PostgreSQL, where a failed statement aborts the transaction until rolled back. */
class PostgresGroupCommitIT extends GroupCommitTest {
  private final TestDatabases dbs = new TestDatabases();
  private String db;

  @Override
  Jdbi engine() {
    dbs.check();
    db = dbs.create();
    return Jdbi.create(TestDatabases.url(db), TestDatabases.USER, "");
  }

  @Override
  void dropEngine() {
    dbs.drop(db);
  }
}
