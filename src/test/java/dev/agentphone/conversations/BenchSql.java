package dev.agentphone.conversations;

/** The conversations domain's statements, for the benchmark's raw-database side. */
public final class BenchSql {
  /** A page of conversations: account, number ids or null, limit, offset. */
  public static final String LIST_PAGE = ConversationsVerticle.LIST_PAGE_SQL;
  /** How many conversations the list has: account, number ids or null. */
  public static final String LIST_COUNT = ConversationsVerticle.LIST_COUNT_SQL;

  private BenchSql() {
  }
}
