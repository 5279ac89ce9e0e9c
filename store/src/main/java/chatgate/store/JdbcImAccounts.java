package chatgate.store;

import chatgate.core.model.Msisdn;
import chatgate.core.port.ImAccounts;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

final class JdbcImAccounts implements ImAccounts {
  private final Jdbi reads;
  private final GroupCommit writes;

  JdbcImAccounts(Jdbi reads, GroupCommit writes) {
    this.reads = reads;
    this.writes = writes;
  }

  @Override
  public void save(Account a) {
    writes.write(h -> h.createUpdate("""
            INSERT INTO im_accounts (address, name, password_hash, web_user, created_at)
            VALUES (:a, :n, :p, :w, :c)
            ON CONFLICT (address) DO UPDATE SET name = excluded.name, password_hash = excluded.password_hash,
              web_user = excluded.web_user""")
        .bind("a", a.address()).bind("n", a.name()).bind("p", a.passwordHash())
        .bind("w", a.webUser().map(Msisdn::e164).orElse(null)).bind("c", Rows.millis(a.createdAt())).execute());
  }

  @Override
  public Optional<Account> find(String address) {
    return reads.withHandle(h -> h.createQuery("SELECT * FROM im_accounts WHERE address = :a").bind("a", address)
        .map((rs, ctx) -> account(rs)).findOne());
  }

  @Override
  public List<Account> all() {
    return reads.withHandle(h -> h.createQuery("SELECT * FROM im_accounts ORDER BY address")
        .map((rs, ctx) -> account(rs)).list());
  }

  private static Account account(ResultSet rs) throws SQLException {
    String web = rs.getString("web_user");
    return new Account(rs.getString("address"), rs.getString("name"), rs.getString("password_hash"),
        Optional.ofNullable(web).map(Msisdn::of), Instant.ofEpochMilli(rs.getLong("created_at")));
  }

  @Override
  public boolean remove(String address) {
    return writes.write(h -> h.createUpdate("DELETE FROM im_accounts WHERE address = :a").bind("a", address)
        .execute() > 0);
  }

  @Override
  public void loggedIn(Login l) {
    writes.write(h -> h.createUpdate("""
            INSERT INTO im_logins (msisdn, account, logged_at) VALUES (:m, :a, :t)
            ON CONFLICT (msisdn, account) DO UPDATE SET logged_at = excluded.logged_at""")
        .bind("m", l.phone().e164()).bind("a", l.account()).bind("t", Rows.millis(l.at())).execute());
  }

  @Override
  public boolean loggedOut(Msisdn phone, String account) {
    return writes.write(h -> h.createUpdate("DELETE FROM im_logins WHERE msisdn = :m AND account = :a")
        .bind("m", phone.e164()).bind("a", account).execute()) > 0;
  }

  @Override
  public List<Login> logins() {
    return reads.withHandle(h -> h.createQuery("SELECT * FROM im_logins ORDER BY msisdn, account")
        .map((rs, ctx) -> new Login(Msisdn.of(rs.getString("msisdn")), rs.getString("account"),
            Instant.ofEpochMilli(rs.getLong("logged_at")))).list());
  }
}
