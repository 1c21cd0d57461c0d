package dev.agentphone.contacts;

/** The contacts domain's statements, for the benchmark's raw-database side. */
public final class BenchSql {
  /** A new contact: id, account, phone number, name, email, notes. */
  public static final String INSERT = ContactsVerticle.INSERT_SQL;
  /** An account's contact by phone number: account, phone number. */
  public static final String BY_NUMBER = ContactsVerticle.BY_NUMBER_SQL;

  private BenchSql() {
  }
}
