package dev.agentphone.conversations;

/** The conversations domain's statements, for the benchmark's raw-database side. */
public final class BenchSql {
  /** A page of conversations: account, number ids or null, limit, offset. */
  public static final String LIST_PAGE = ConversationList.PAGE_SQL;
  /** How many conversations the list has (the maintained counts): account, number ids or null. */
  public static final String LIST_COUNT = ConversationList.TOTAL_SQL;

  private BenchSql() {
  }
}
